using System.ComponentModel.DataAnnotations;

namespace HealthAI.ServiceDefaults.Resilience;

/// <summary>
/// The standard resilience pipeline of every HttpClient: total timeout, bounded retries with jittered exponential backoff
/// (idempotent requests and transient failures only), a circuit breaker, and a per-attempt timeout. Bound from
/// <c>HttpClientDefaults:Resilience</c>, then <c>HttpClientDefaults:Resilience:Clients:{name}</c> for one named client.
/// </summary>
public sealed class HttpResilienceOptions
{
    /// <summary>Configuration section of the defaults.</summary>
    public const string SectionName = "HttpClientDefaults:Resilience";

    /// <summary>Upper bound of one logical call, retries included.</summary>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt; 0 turns retries off.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Median of the first backoff; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Failure ratio within <see cref="CircuitSamplingDuration"/> that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the sampling window before the ratio counts.</summary>
    [Range(2, int.MaxValue)]
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which failures are counted.</summary>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the circuit stays open before one trial call.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
