namespace HealthAI.Gateway.Logging;

/// <summary>
/// Gateway log events (ids 1000-1999). Messages carry route ids, status codes, counts, lengths and exception type names:
/// never note text, patient fields or exception messages (they can quote input).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, EventName = "DownstreamFailed", Level = LogLevel.Warning,
        Message = "Hop {Hop} failed with {Failure} ({Detail}); requestId {RequestId}; nothing sent further")]
    public static partial void DownstreamFailed(ILogger logger, string hop, string failure, string detail, string requestId);

    [LoggerMessage(EventId = 1001, EventName = "NoteAnalyzed", Level = LogLevel.Debug,
        Message = "Analyzed a note of {TextLength} chars with {EntityCount} entities in {ElapsedMs:F2} ms; requestId {RequestId}")]
    public static partial void NoteAnalyzed(ILogger logger, int textLength, int entityCount, double elapsedMs, string requestId);

    [LoggerMessage(EventId = 1010, EventName = "ForwardingFailed", Level = LogLevel.Warning,
        Message = "Forwarding route {RouteId} to cluster {ClusterId} failed with {Error} ({ExceptionType}); requestId {RequestId}")]
    public static partial void ForwardingFailed(ILogger logger, string routeId, string clusterId, string error, string exceptionType, string requestId);

    [LoggerMessage(EventId = 1020, EventName = "AuditSinkFailed", Level = LogLevel.Error,
        Message = "The audit sink {Sink} failed with {ExceptionType}; the record is missing from that sink and verification will report the gap")]
    public static partial void AuditSinkFailed(ILogger logger, string sink, string exceptionType);

    [LoggerMessage(EventId = 1021, EventName = "AuditChainResumed", Level = LogLevel.Information,
        Message = "Audit chain resumed from {Path} at sequence {Sequence}")]
    public static partial void AuditChainResumed(ILogger logger, string path, long sequence);

    [LoggerMessage(EventId = 1022, EventName = "AuditRecordAfterShutdown", Level = LogLevel.Error,
        Message = "An audit record for route {RouteId} (status {Status}) arrived after the audit trail closed at shutdown and was not written")]
    public static partial void AuditRecordAfterShutdown(ILogger logger, string routeId, int status);

    [LoggerMessage(EventId = 1030, EventName = "RateLimited", Level = LogLevel.Information,
        Message = "Rate limited {RouteId}; retry after {RetryAfterSeconds} s; requestId {RequestId}")]
    public static partial void RateLimited(ILogger logger, string routeId, int retryAfterSeconds, string requestId);

    [LoggerMessage(EventId = 1040, EventName = "EventLoopFault", Level = LogLevel.Error,
        Message = "A gateway event loop closed a connection after an unexpected {ExceptionType}")]
    public static partial void EventLoopFault(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 1041, EventName = "AcceptFailed", Level = LogLevel.Warning,
        Message = "A gateway event loop could not accept a connection ({Error}) and stops accepting for a moment")]
    public static partial void AcceptFailed(ILogger logger, string error);
}
