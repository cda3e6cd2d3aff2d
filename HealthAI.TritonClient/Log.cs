using HealthAI.KServe.Protocol.Grpc;
using Microsoft.Extensions.Logging;

namespace HealthAI.TritonClient;

/// <summary>
/// TritonClient log events (ids 600-699). Operation, model, status and counts only: never tensor contents, and never the
/// server's message (a server may echo input in it).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 600, EventName = "TritonCallFailed", Level = LogLevel.Debug,
        Message = "Triton {Operation} on model {ModelName} over {Protocol} failed with {Status} (HTTP {HttpStatus}); transient {Transient}; requestId {RequestId}")]
    public static partial void CallFailed(ILogger logger, string operation, string? modelName, string protocol, GrpcStatusCode status,
        int? httpStatus, bool transient, string? requestId);

    [LoggerMessage(EventId = 601, EventName = "TritonCallRetrying", Level = LogLevel.Warning,
        Message = "Triton {Operation} on model {ModelName} over {Protocol} retrying (attempt {Attempt}) after {Status}")]
    public static partial void Retrying(ILogger logger, string operation, string? modelName, string protocol, int attempt, GrpcStatusCode status);

    [LoggerMessage(EventId = 602, EventName = "TritonDeadlineExceeded", Level = LogLevel.Warning,
        Message = "Triton {Operation} on model {ModelName} over {Protocol} exceeded its deadline of {Deadline}; requestId {RequestId}")]
    public static partial void DeadlineExceeded(ILogger logger, string operation, string? modelName, string protocol, TimeSpan deadline, string? requestId);
}
