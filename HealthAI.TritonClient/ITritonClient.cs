using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.TritonClient;

/// <summary>
/// A KServe v2 / Triton client. One instance is safe to use from many threads. Every call has a deadline (settings or
/// <see cref="InferRequest.Timeout"/>); failures raise <see cref="TritonException"/>, the caller's cancellation raises
/// <see cref="OperationCanceledException"/>. Metadata, config and statistics come back as the protocol's own messages whatever
/// the transport.
/// </summary>
public interface ITritonClient
{
    /// <summary>The transport in use.</summary>
    TritonProtocol Protocol { get; }

    /// <summary>Runs one inference.</summary>
    Task<InferResult> InferAsync(InferRequest request, CancellationToken cancellationToken = default);

    /// <summary>Server liveness (HTTP 200 / gRPC live = true).</summary>
    Task<bool> IsServerLiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Server readiness.</summary>
    Task<bool> IsServerReadyAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the model (version) is loaded and ready; false for a model the server does not know.</summary>
    Task<bool> IsModelReadyAsync(string modelName, string? modelVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Server name, version and extensions.</summary>
    Task<ServerMetadataResponse> GetServerMetadataAsync(CancellationToken cancellationToken = default);

    /// <summary>Model name, versions, platform and input/output tensors.</summary>
    Task<ModelMetadataResponse> GetModelMetadataAsync(string modelName, string? modelVersion = null, CancellationToken cancellationToken = default);

    /// <summary>The model configuration (Triton extension).</summary>
    Task<ModelConfig> GetModelConfigAsync(string modelName, string? modelVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Statistics of one model, or of every model when <paramref name="modelName"/> is null (Triton extension).</summary>
    Task<ModelStatisticsResponse> GetModelStatisticsAsync(string? modelName = null, string? modelVersion = null, CancellationToken cancellationToken = default);

    /// <summary>The models in the repository and their states (Triton extension).</summary>
    Task<IReadOnlyList<RepositoryIndexResponse.Types.ModelIndex>> GetRepositoryIndexAsync(bool readyOnly = false, CancellationToken cancellationToken = default);

    /// <summary>Loads or reloads a model (Triton extension; the server must run with explicit model control).</summary>
    Task LoadModelAsync(string modelName, CancellationToken cancellationToken = default);

    /// <summary>Unloads a model (Triton extension).</summary>
    Task UnloadModelAsync(string modelName, CancellationToken cancellationToken = default);
}
