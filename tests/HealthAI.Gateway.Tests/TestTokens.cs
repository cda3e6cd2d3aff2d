using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HealthAI.Gateway.Tests;

/// <summary>Mints real JWTs for the tests, signed with the key the gateway is configured with (or deliberately not).</summary>
public static class TestTokens
{
    public const string Issuer = "https://issuer.test.healthai";
    public const string Audience = "healthai-gateway";
    public const string KeyId = "test-key-1";

    public static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public static string KeyBase64 => Convert.ToBase64String(Key);

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = KeyBase64,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Id"] = KeyId,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Length"] = "32",
    };

    /// <summary>A second accepted issuer with its own signing key, bound to it; returns the key's credentials.</summary>
    public static SigningCredentials AddSecondIssuer(Dictionary<string, string?> settings, string issuer)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        settings["Authentication:Schemes:Bearer:ValidIssuers:0"] = issuer;
        settings["Authentication:Schemes:Bearer:SigningKeys:1:Issuer"] = issuer;
        settings["Authentication:Schemes:Bearer:SigningKeys:1:Value"] = Convert.ToBase64String(key);
        settings["Authentication:Schemes:Bearer:SigningKeys:1:Id"] = "second-issuer-key";
        settings["Authentication:Schemes:Bearer:SigningKeys:1:Length"] = "32";
        return new SigningCredentials(new SymmetricSecurityKey(key) { KeyId = "second-issuer-key" }, SecurityAlgorithms.HmacSha256);
    }

    public static string Create(
        string scopes = "notes.analyze notes.deidentify models.read",
        string issuer = Issuer,
        string audience = Audience,
        DateTime? notBefore = null,
        DateTime? expires = null,
        SigningCredentials? credentials = null,
        string subject = "client-app-1",
        string scopeClaim = "scp",
        string[]? roles = null,
        string roleClaim = "roles")
    {
        var now = DateTime.UtcNow;
        var nbf = notBefore ?? now.AddMinutes(-1);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = nbf,
            IssuedAt = nbf,
            Expires = expires ?? now.AddMinutes(10),
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim(scopeClaim, scopes), .. (roles ?? []).Select(r => new Claim(roleClaim, r))]),
            SigningCredentials = credentials ?? new SigningCredentials(new SymmetricSecurityKey(Key) { KeyId = KeyId }, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise perfect claims.</summary>
    public static string CreateUnsigned(string scopes = "notes.analyze")
    {
        var now = DateTimeOffset.UtcNow;
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var payload = Base64UrlEncoder.Encode(
            $"{{\"iss\":\"{Issuer}\",\"aud\":\"{Audience}\",\"sub\":\"client-app-1\",\"scp\":\"{scopes}\",\"nbf\":{now.AddMinutes(-1).ToUnixTimeSeconds()},\"exp\":{now.AddMinutes(10).ToUnixTimeSeconds()}}}");
        return $"{header}.{payload}.";
    }

    /// <summary>HMAC with arbitrary bytes as the secret, e.g. a public key in the algorithm-confusion attack.</summary>
    public static SigningCredentials HmacWith(byte[] secret) =>
        new(new SymmetricSecurityKey(secret), SecurityAlgorithms.HmacSha256);

    public static string Describe(string token) => Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[0]));
}
