using System.ComponentModel.DataAnnotations;

namespace HealthAI.Gateway.Limits;

/// <summary>
/// Token bucket per client (the token's <c>azp</c>/<c>client_id</c>/<c>sub</c>, else the remote address). Bound from
/// <c>Gateway:RateLimiting</c>.
/// </summary>
public sealed class ClientRateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:RateLimiting";

    /// <summary>Bucket size: the burst a client may send at once.</summary>
    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; } = 200;

    /// <summary>Tokens added every <see cref="ReplenishmentPeriod"/>.</summary>
    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 100;

    /// <summary>How often tokens are added.</summary>
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
