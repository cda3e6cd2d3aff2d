using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HealthAI.EndToEnd.Tests.Infrastructure;

/// <summary>HS256 tokens for the gateway under test, signed with a key made for this test run.</summary>
public sealed class DevTokens
{
    public const string Issuer = "healthai-e2e";
    public const string Audience = "healthai-gateway";

    private readonly SymmetricSecurityKey _key;

    public DevTokens()
    {
        KeyBytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        _key = new SymmetricSecurityKey(KeyBytes) { KeyId = "e2e" };
    }

    public byte[] KeyBytes { get; }

    /// <summary>The environment the gateway reads its bearer settings from (the layout `dotnet user-jwts` writes).</summary>
    public IReadOnlyDictionary<string, string> GatewayEnvironment => new Dictionary<string, string>
    {
        ["Authentication__Schemes__Bearer__ValidIssuer"] = Issuer,
        ["Authentication__Schemes__Bearer__ValidAudiences__0"] = Audience,
        ["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = Issuer,
        ["Authentication__Schemes__Bearer__SigningKeys__0__Id"] = "e2e",
        ["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Convert.ToBase64String(KeyBytes),
        ["Authentication__Schemes__Bearer__SigningKeys__0__Length"] = "32",
    };

    public string Create(string scopes, string subject = "e2e-client", TimeSpan? lifetime = null, DateTime? notBefore = null,
        string? issuer = null, string? audience = null, SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("client_id", subject), new Claim("scp", scopes)]),
            NotBefore = notBefore ?? now.AddMinutes(-1),
            IssuedAt = notBefore ?? now.AddMinutes(-1),
            Expires = (notBefore ?? now) + (lifetime ?? TimeSpan.FromMinutes(30)),
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
