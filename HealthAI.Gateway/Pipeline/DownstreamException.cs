namespace HealthAI.Gateway.Pipeline;

/// <summary>How a downstream hop failed; mapped to an HTTP status in one place (<see cref="DownstreamException.StatusCode"/>).</summary>
public enum DownstreamFailure
{
    /// <summary>Connection refused, reset, 5xx or 429: the service is not answering well (503).</summary>
    Unavailable,

    /// <summary>The hop's timeout elapsed (504).</summary>
    TimedOut,

    /// <summary>The circuit breaker is open after repeated failures; no call was made (503).</summary>
    CircuitOpen,

    /// <summary>The service answered something that breaks its contract (502).</summary>
    BadResponse,
}

/// <summary>A failed hop. The message names the hop and failure kind only: never request or response content.</summary>
public sealed class DownstreamException(string hop, DownstreamFailure failure, string detail, Exception? inner = null)
    : Exception($"{hop} {failure}: {detail}", inner)
{
    /// <summary>The hop: <c>deid</c> or <c>tokenizer</c>.</summary>
    public string Hop { get; } = hop;

    /// <summary>What went wrong.</summary>
    public DownstreamFailure Failure { get; } = failure;

    /// <summary>A content-free detail (status code, exception type).</summary>
    public string Detail { get; } = detail;

    /// <summary>The status the gateway answers with.</summary>
    public int StatusCode => Failure switch
    {
        DownstreamFailure.TimedOut => StatusCodes.Status504GatewayTimeout,
        DownstreamFailure.BadResponse => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    /// <summary>The ProblemDetails title.</summary>
    public string Title => Failure switch
    {
        DownstreamFailure.TimedOut => $"The {Hop} service timed out.",
        DownstreamFailure.BadResponse => $"The {Hop} service answered incorrectly.",
        DownstreamFailure.CircuitOpen => $"The {Hop} service is failing; requests are paused.",
        _ => $"The {Hop} service is unavailable.",
    };
}
