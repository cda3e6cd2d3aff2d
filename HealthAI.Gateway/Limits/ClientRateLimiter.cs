using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Limits;

/// <summary>
/// The per-client token buckets (<c>Gateway:RateLimiting</c>). One instance serves both ways in: ASP.NET Core's rate-limiting
/// middleware and the connection-level forwarder, so a client has one budget however its requests travel.
/// </summary>
internal sealed class ClientRateLimiter : IDisposable
{
    public ClientRateLimiter(IOptions<ClientRateLimitOptions> options)
    {
        var bucket = options.Value;
        Buckets = PartitionedRateLimiter.Create<RateLimitPartitionKey, RateLimitPartitionKey>(key =>
            RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = bucket.TokenLimit,
                TokensPerPeriod = bucket.TokensPerPeriod,
                ReplenishmentPeriod = bucket.ReplenishmentPeriod,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public PartitionedRateLimiter<RateLimitPartitionKey> Buckets { get; }

    public void Dispose() => Buckets.Dispose();
}
