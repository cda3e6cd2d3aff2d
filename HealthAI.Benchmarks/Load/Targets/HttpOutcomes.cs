using System.Net;
using HealthAI.Benchmarks.Load.Recording;

namespace HealthAI.Benchmarks.Load.Targets;

/// <summary>Turns HTTP answers and transport exceptions into <see cref="RequestOutcome"/> kinds.</summary>
public static class HttpOutcomes
{
    public static RequestOutcome FromStatus(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return RequestOutcome.Success;
        }

        var kind = "http-" + status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var explicitRejection = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
            && response.Headers.RetryAfter is not null;
        return explicitRejection ? RequestOutcome.Rejected(kind) : RequestOutcome.Failed(kind);
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
