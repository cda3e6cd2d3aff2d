using System.Net;

namespace HealthAI.Gateway.Limits;

/// <summary>
/// One rate-limit partition: an authenticated client id with its token's issuer, or the address of an anonymous caller (null
/// when the host has none). A struct rather than a composed string, so looking up the caller's bucket allocates nothing per
/// request.
/// </summary>
internal readonly record struct RateLimitPartitionKey(string? ClientId, IPAddress? Address, string? Issuer = null);
