using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Execution;

/// <summary>What a backend needs to load one version of a model.</summary>
/// <param name="ModelName">Repository name of the model.</param>
/// <param name="Version">Version number being loaded.</param>
/// <param name="Config">The normalized configuration.</param>
/// <param name="VersionDirectory">The numeric version folder (holds <c>model.onnx</c> for ONNX models).</param>
public sealed record ModelLoadContext(string ModelName, long Version, ModelConfig Config, string VersionDirectory);

/// <summary>
/// A model runtime (ONNX Runtime, Triton's identity backend...). The server creates one instance per
/// <c>instance_group.count</c>; the scheduler never runs two batches on the same instance at once.
/// </summary>
public interface IModelBackend
{
    /// <summary>True when this backend serves the config's platform/backend string.</summary>
    bool Supports(ModelConfig config);

    /// <summary>Loads one execution instance (for ONNX Runtime: one session).</summary>
    IModelInstance CreateInstance(ModelLoadContext context, int instanceIndex);
}

/// <summary>One loaded execution instance of a model version.</summary>
public interface IModelInstance : IDisposable
{
    /// <summary>
    /// Runs one batch. Inputs already carry the batch dimension (for batching models); the result must contain every name in
    /// <paramref name="outputNames"/>, each with the same batch dimension.
    /// </summary>
    IReadOnlyList<InferTensor> Execute(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken);
}
