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

    public static string Create(
        byte[] signingKey, string issuer, string audience, string scopes, TimeSpan lifetime, TimeProvider timeProvider, string keyId = "healthai-bench")
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
            ["sub"] = "healthai-benchmarks",
            ["client_id"] = "healthai-benchmarks",
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
