namespace HealthAI.TritonClient;

/// <summary>
/// An inference request: the model, inputs, the outputs wanted (all when none), an optional request id echoed back, and
/// parameters. <see cref="Priority"/> and <see cref="ServerTimeout"/> set Triton's schedule-policy parameters.
/// </summary>
public sealed class InferRequest(string modelName)
{
    /// <summary>Reserved request parameter: scheduling priority (1 = highest, 0 = the model's default).</summary>
    public const string PriorityParameter = "priority";

    /// <summary>Reserved request parameter: server-side queue timeout in microseconds.</summary>
    public const string TimeoutParameter = "timeout";

    /// <summary>The model to run.</summary>
    public string ModelName { get; } = string.IsNullOrEmpty(modelName)
        ? throw new ArgumentException("A model name is required.", nameof(modelName))
        : modelName;

    /// <summary>A numeric model version; null lets the server choose.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>An id the server echoes back and puts in its errors; never put PHI in it.</summary>
    public string? Id { get; set; }

    /// <summary>The input tensors, in the order they are sent.</summary>
    public IList<InferInput> Inputs { get; } = new List<InferInput>(2);

    /// <summary>The outputs to return; empty returns every output.</summary>
    public IList<InferRequestedOutput> Outputs { get; } = new List<InferRequestedOutput>(1);

    /// <summary>Request parameters. Keys starting with <c>triton_</c> are reserved by the server.</summary>
    public IDictionary<string, TritonParameter> Parameters => _parameters ??= new Dictionary<string, TritonParameter>(StringComparer.Ordinal);

    /// <summary>Triton's <c>priority</c> parameter.</summary>
    public long? Priority
    {
        get => TryGet(PriorityParameter);
        set => Set(PriorityParameter, value);
    }

    /// <summary>Triton's <c>timeout</c> parameter: how long the request may wait in the server's queue.</summary>
    public TimeSpan? ServerTimeout
    {
        get => TryGet(TimeoutParameter) is { } micros ? TimeSpan.FromMicroseconds(micros) : null;
        set => Set(TimeoutParameter, value is { } t ? (long)t.TotalMicroseconds : null);
    }

    /// <summary>The client-side deadline of this call; null uses <see cref="TritonClientSettings.InferenceTimeout"/>.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Dimension 0 of the first input: the batch size for telemetry (1 when there is no input).</summary>
    public long BatchSize => Inputs.Count > 0 && Inputs[0].Shape.Length > 0 ? Inputs[0].Shape[0] : 1;

    internal bool HasParameters => _parameters is { Count: > 0 };

    private Dictionary<string, TritonParameter>? _parameters;

    /// <summary>Adds an input and returns this request.</summary>
    public InferRequest AddInput(InferInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Inputs.Add(input);
        return this;
    }

    /// <summary>Asks for an output by name and returns this request.</summary>
    public InferRequest AddOutput(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Outputs.Add(new InferRequestedOutput(name));
        return this;
    }

    private long? TryGet(string key) =>
        _parameters is not null && _parameters.TryGetValue(key, out var p) && p.Kind == TritonParameterKind.Int64 ? p.Int64Value : null;

    private void Set(string key, long? value)
    {
        if (value is { } v)
        {
            Parameters[key] = v;
        }
        else
        {
            _parameters?.Remove(key);
        }
    }
}
