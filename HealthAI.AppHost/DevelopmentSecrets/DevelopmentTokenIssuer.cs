using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HealthAI.AppHost.DevelopmentSecrets;

/// <summary>The gateway's bearer settings as the local run configures them.</summary>
public sealed record JwtSettings(string Issuer, string Audience, string SigningKeyBase64, string KeyId);

/// <summary>
/// Issues HS256 development tokens shaped like `dotnet user-jwts create`: `sub`, `client_id`, `scp` (space-separated scopes),
/// `iss`/`aud` matching the gateway's configuration, and a `kid` header naming the signing key.
/// </summary>
public sealed class DevelopmentTokenIssuer(JwtSettings settings, TimeProvider timeProvider)
{
    public const string DefaultScope = "notes.analyze";
    public const string DefaultSubject = "healthai-developer";

    public string Issue(IReadOnlyCollection<string> scopes, TimeSpan lifetime, string subject = DefaultSubject)
    {
        if (scopes.Count == 0 || scopes.Any(s => s.Length == 0 || s.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException("Scopes must be non-empty words without spaces, e.g. --scope notes.analyze.", nameof(scopes));
        }

        var now = timeProvider.GetUtcNow();
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = settings.KeyId };
        var payload = new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["client_id"] = subject,
            ["scp"] = string.Join(' ', scopes),
            ["iss"] = settings.Issuer,
            ["aud"] = settings.Audience,
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };

        var signingInput = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        var signature = HMACSHA256.HashData(Convert.FromBase64String(settings.SigningKeyBase64), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
