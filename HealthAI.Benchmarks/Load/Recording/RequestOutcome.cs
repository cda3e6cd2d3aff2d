namespace HealthAI.Benchmarks.Load.Recording;

/// <summary>How one request ended. <see cref="ErrorKind"/> is null on success.</summary>
/// <param name="ErrorKind">A short, PHI-free label: <c>http-503</c>, <c>grpc-Unavailable</c>, <c>timeout</c>, <c>connection</c>...</param>
/// <param name="ExplicitRejection">
/// True when the server refused on purpose and said when to come back: 429 or 503 carrying Retry-After (gRPC: RESOURCE_EXHAUSTED
/// or UNAVAILABLE). The soak counts these as answered, not lost.
/// </param>
/// <param name="RetryAfter">How long the server asked the caller to wait before its next request (HTTP Retry-After), if it said.</param>
public readonly record struct RequestOutcome(string? ErrorKind, bool ExplicitRejection = false, TimeSpan? RetryAfter = null)
{
    public static RequestOutcome Success { get; } = new(null);

    public bool IsSuccess => ErrorKind is null;

    public static RequestOutcome Failed(string kind) => new(kind);

    public static RequestOutcome Rejected(string kind, TimeSpan? retryAfter = null) => new(kind, ExplicitRejection: true, retryAfter);
}
