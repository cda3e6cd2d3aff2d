using Microsoft.Extensions.Logging;

namespace HealthAI.ServiceDefaults.Logging;

/// <summary>
/// ServiceDefaults log events (ids 100-199). Messages carry names, counts, status codes and exception type names: never request
/// or response content, never exception messages (they can quote input).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, EventName = "UnhandledException", Level = LogLevel.Error,
        Message = "Unhandled {ExceptionType} while processing {Method} {RouteName}; requestId {RequestId}")]
    public static partial void UnhandledException(ILogger logger, string exceptionType, string method, string routeName, string requestId);

    [LoggerMessage(EventId = 101, EventName = "BadRequest", Level = LogLevel.Information,
        Message = "Rejected {Method} {RouteName} with {StatusCode} ({ExceptionType}); requestId {RequestId}")]
    public static partial void BadRequest(ILogger logger, string method, string routeName, int statusCode, string exceptionType, string requestId);

    [LoggerMessage(EventId = 110, EventName = "RetryingRequest", Level = LogLevel.Warning,
        Message = "HttpClient '{ClientName}' retrying (attempt {Attempt}) after {Outcome}")]
    public static partial void RetryingRequest(ILogger logger, string clientName, int attempt, string outcome);

    [LoggerMessage(EventId = 111, EventName = "CircuitOpened", Level = LogLevel.Warning,
        Message = "HttpClient '{ClientName}' circuit opened for {BreakDuration}")]
    public static partial void CircuitOpened(ILogger logger, string clientName, TimeSpan breakDuration);

    [LoggerMessage(EventId = 112, EventName = "CircuitClosed", Level = LogLevel.Information,
        Message = "HttpClient '{ClientName}' circuit closed")]
    public static partial void CircuitClosed(ILogger logger, string clientName);
}
