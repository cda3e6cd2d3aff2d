using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HealthAI.Benchmarks.Load.Targets;

/// <summary>
/// Mints the HS256 development token the gateway accepts (the shape <c>dotnet user-jwts</c> writes: iss, aud, sub, scp as a
/// space-separated list, nbf/iat/exp). For load tests against a gateway configured with the same key; never a production token.
/// </summary>
public static class DevJwt
{
    public const string AnalyzeScope = "notes.analyze";

    /// <summary>The client identity of a single-client run (sub, client_id and azp).</summary>
    public const string DefaultClientId = "healthai-benchmarks";

    /// <summary>The client id of client <paramref name="index"/> of <paramref name="count"/>: the default id when there is one.</summary>
    public static string ClientId(int index, int count) =>
        count == 1 ? DefaultClientId : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{DefaultClientId}-{index + 1:D3}");

    /// <summary>One token per client, each with its own <see cref="ClientId"/>, so a gateway limits them as separate callers.</summary>
    public static IReadOnlyList<string> CreateForClients(
        int clients, byte[] signingKey, string issuer, string audience, string scopes, TimeSpan lifetime, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clients);
        return [.. Enumerable.Range(0, clients).Select(i => Create(signingKey, issuer, audience, scopes, lifetime, timeProvider, clientId: ClientId(i, clients)))];
    }

    public static string Create(
        byte[] signingKey, string issuer, string audience, string scopes, TimeSpan lifetime, TimeProvider timeProvider, string keyId = "healthai-bench",
        string clientId = DefaultClientId)
    {
        if (signingKey.Length < 32)
        {
            throw new ArgumentException("An HS256 key must have at least 256 bits.", nameof(signingKey));
        }

        var now = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = keyId });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            // The gateway partitions its rate limit on azp, then client_id, then sub: all three name the same client.
            ["sub"] = clientId,
            ["client_id"] = clientId,
            ["azp"] = clientId,
            ["scp"] = scopes,
            ["nbf"] = now - 5,
            ["iat"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
        });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var signature = HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
