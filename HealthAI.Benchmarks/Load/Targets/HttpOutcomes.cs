using System.Net;
using System.Net.Http.Headers;
using HealthAI.Benchmarks.Load.Recording;

namespace HealthAI.Benchmarks.Load.Targets;

/// <summary>Turns HTTP answers and transport exceptions into <see cref="RequestOutcome"/> kinds.</summary>
public static class HttpOutcomes
{
    /// <summary>Classifies an answer; a 429/503 with Retry-After is an explicit rejection carrying the wait it asked for.</summary>
    public static RequestOutcome FromStatus(HttpResponseMessage response, TimeProvider? timeProvider = null)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return RequestOutcome.Success;
        }

        var kind = "http-" + status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var explicitRejection = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
            && response.Headers.RetryAfter is not null;
        return explicitRejection
            ? RequestOutcome.Rejected(kind, RetryAfter(response.Headers.RetryAfter!, timeProvider ?? TimeProvider.System))
            : RequestOutcome.Failed(kind);
    }

    /// <summary>The wait a Retry-After header asks for: its delta, or the time until its date; never negative.</summary>
    public static TimeSpan RetryAfter(RetryConditionHeaderValue header, TimeProvider timeProvider)
    {
        var wait = header.Delta ?? (header.Date is { } date ? date - timeProvider.GetUtcNow() : TimeSpan.Zero);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>
    /// Classifies an exception from a send. Returns null for a cancellation the run itself asked for (the run is ending, the
    /// request is not counted).
    /// </summary>
    public static RequestOutcome? FromException(Exception exception, CancellationToken runCancellation) => exception switch
    {
        OperationCanceledException when runCancellation.IsCancellationRequested => null,
        OperationCanceledException => RequestOutcome.Failed("timeout"),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => RequestOutcome.Failed("connection-refused"),
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => RequestOutcome.Failed("connection-reset"),
        HttpRequestException { HttpRequestError: HttpRequestError.HttpProtocolError } => RequestOutcome.Failed("protocol-error"),
        HttpRequestException => RequestOutcome.Failed("http-transport"),
        IOException => RequestOutcome.Failed("io"),
        _ => RequestOutcome.Failed("client-" + exception.GetType().Name),
    };
}
