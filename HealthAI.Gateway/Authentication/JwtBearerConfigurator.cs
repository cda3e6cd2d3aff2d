using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HealthAI.Gateway.Authentication;

/// <summary>
/// Turns the validated <see cref="BearerTokenOptions"/> into the bearer handler's validation rules. Everything is checked:
/// issuer, audience, lifetime (with <c>exp</c> required) and signature, with algorithms limited to an allow-list.
/// </summary>
internal sealed class JwtBearerConfigurator(IOptions<BearerTokenOptions> bearerOptions, TimeProvider timeProvider) : IConfigureNamedOptions<JwtBearerOptions>
{
    /// <summary>Asymmetric algorithms an OIDC authority signs with, and HMAC for locally minted development tokens.</summary>
    internal static readonly string[] DefaultAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512,
    ];

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        var settings = bearerOptions.Value;
        var issuers = settings.AllIssuers().ToArray();

        options.Authority = NullIfEmpty(settings.Authority);
        options.MetadataAddress = NullIfEmpty(settings.MetadataAddress)!;
        options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        // Keep claim names as issued (scp, roles, sub) instead of the legacy WS-Federation URIs.
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = true;
        // The raw token is not kept in the authentication properties: nothing downstream reads it (the forwarder strips
        // Authorization too), and storing it costs a dictionary of strings on every request.
        options.SaveToken = false;

        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuers = issuers.Length > 0 ? issuers : null,
            ValidateAudience = true,
            ValidAudiences = settings.AllAudiences().ToArray(),
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidAlgorithms = settings.ValidAlgorithms.Count > 0 ? settings.ValidAlgorithms.ToArray() : DefaultAlgorithms,
            IssuerSigningKeys = CreateSigningKeys(settings, issuers),
            ClockSkew = settings.ClockSkew,
            NameClaimType = "sub",
            RoleClaimType = "roles",
        };

        // JsonWebTokenHandler (not the legacy JwtSecurityTokenHandler), built here so it keeps claim names as issued; wrapped in
        // the cache of accepted tokens unless configuration turned that off.
        var handler = new JsonWebTokenHandler { MapInboundClaims = false };
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(settings.ValidatedTokenCacheDuration > TimeSpan.Zero
            ? new ValidatedTokenCache(handler, settings.ValidatedTokenCacheDuration, settings.ValidatedTokenCacheSize, timeProvider)
            : handler);
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    // A key bound to one issuer only verifies that issuer's tokens, as ASP.NET Core's own reader of this layout does.
    private static List<SecurityKey> CreateSigningKeys(BearerTokenOptions settings, string[] issuers)
    {
        var keys = new List<SecurityKey>(settings.SigningKeys.Count);
        foreach (var key in settings.SigningKeys)
        {
            if (string.IsNullOrWhiteSpace(key.Value))
            {
                continue;
            }

            if (!string.IsNullOrWhiteSpace(key.Issuer) && issuers.Length > 0 && Array.IndexOf(issuers, key.Issuer) < 0)
            {
                continue;
            }

            keys.Add(new SymmetricSecurityKey(Convert.FromBase64String(key.Value)) { KeyId = NullIfEmpty(key.Id) });
        }

        return keys;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
