namespace HealthAI.TritonClient;

/// <summary>An inference response: the model and version that answered, the echoed request id, parameters and outputs.</summary>
public sealed class InferResult
{
    private static readonly IReadOnlyDictionary<string, TritonParameter> NoParameters = new Dictionary<string, TritonParameter>();

    internal InferResult(string modelName, string modelVersion, string? id, IReadOnlyList<InferOutput> outputs,
        IReadOnlyDictionary<string, TritonParameter>? parameters)
    {
        ModelName = modelName;
        ModelVersion = modelVersion;
        Id = string.IsNullOrEmpty(id) ? null : id;
        Outputs = outputs;
        Parameters = parameters ?? NoParameters;
    }

    /// <summary>The model that answered.</summary>
    public string ModelName { get; }

    /// <summary>The model version that answered (a string, as the protocol has it).</summary>
    public string ModelVersion { get; }

    /// <summary>The request id, when the request had one.</summary>
    public string? Id { get; }

    /// <summary>Response parameters.</summary>
    public IReadOnlyDictionary<string, TritonParameter> Parameters { get; }

    /// <summary>The outputs in the order the server sent them.</summary>
    public IReadOnlyList<InferOutput> Outputs { get; }

    /// <summary>The output named <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> when absent.</summary>
    public InferOutput GetOutput(string name) =>
        TryGetOutput(name, out var output) ? output : throw new KeyNotFoundException($"The response has no output '{name}'.");

    /// <summary>Looks an output up by name.</summary>
    public bool TryGetOutput(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out InferOutput? output)
    {
        foreach (var candidate in Outputs)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                output = candidate;
                return true;
            }
        }

        output = null;
        return false;
    }
}
