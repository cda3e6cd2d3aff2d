using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.TritonClient;

/// <summary>
/// One wire protocol. Transports only translate calls to the wire and back and raise <see cref="TritonException"/> for server
/// and network errors; deadlines, retries and telemetry live in <see cref="TritonClient"/> above them.
/// </summary>
internal interface ITritonTransport
{
    Task<bool> ServerLiveAsync(CallContext call);

    Task<bool> ServerReadyAsync(CallContext call);

    Task<bool> ModelReadyAsync(string modelName, string? modelVersion, CallContext call);

    Task<ServerMetadataResponse> ServerMetadataAsync(CallContext call);

    Task<ModelMetadataResponse> ModelMetadataAsync(string modelName, string? modelVersion, CallContext call);

    Task<ModelConfig> ModelConfigAsync(string modelName, string? modelVersion, CallContext call);

    Task<ModelStatisticsResponse> ModelStatisticsAsync(string? modelName, string? modelVersion, CallContext call);

    Task<IReadOnlyList<RepositoryIndexResponse.Types.ModelIndex>> RepositoryIndexAsync(bool readyOnly, CallContext call);

    Task LoadModelAsync(string modelName, CallContext call);

    Task UnloadModelAsync(string modelName, CallContext call);

    Task<InferResult> InferAsync(InferRequest request, CallContext call);
}

/// <summary>What a transport needs to know about one attempt: its remaining time (for <c>grpc-timeout</c>) and its token.</summary>
/// <param name="Operation">Operation name for errors and telemetry.</param>
/// <param name="Deadline">Remaining time of the whole call when the attempt started.</param>
/// <param name="CancellationToken">Cancelled by the caller or when the deadline passes.</param>
internal readonly record struct CallContext(string Operation, TimeSpan Deadline, CancellationToken CancellationToken);
