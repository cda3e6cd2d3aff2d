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

        var keys = CreateSigningKeys(settings, issuers, out var keyIssuers);
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
            IssuerSigningKeys = keys,
            IssuerSigningKeyValidator = (key, token, _) => IsKeyOfIssuer(keyIssuers, key, token) && PassesDefaultKeyChecks(key, token),
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

    /// <summary>
    /// A key bound to an issuer (<c>SigningKeys:i:Issuer</c>) verifies that issuer's tokens only: IdentityModel tries every key
    /// whatever the token's <c>iss</c>, so without this whoever holds one issuer's key could sign tokens that claim another
    /// accepted issuer. Keys bound to none (and the authority's, from its metadata) verify any accepted issuer's tokens.
    /// </summary>
    private static bool IsKeyOfIssuer(Dictionary<SecurityKey, string> keyIssuers, SecurityKey key, SecurityToken token) =>
        !keyIssuers.TryGetValue(key, out var issuer) || string.Equals(issuer, token.Issuer, StringComparison.Ordinal);

    // A validator replaces IdentityModel's own key checks (a certificate's validity period, for keys from metadata): kept here.
    private static readonly TokenValidationParameters DefaultKeyChecks = new() { ValidateIssuerSigningKey = true };

    private static bool PassesDefaultKeyChecks(SecurityKey key, SecurityToken token)
    {
        Validators.ValidateIssuerSecurityKey(key, token, DefaultKeyChecks);
        return true;
    }

    // Keys bound to an issuer not accepted here are left out, as ASP.NET Core's own reader of this layout does.
    private static List<SecurityKey> CreateSigningKeys(BearerTokenOptions settings, string[] issuers, out Dictionary<SecurityKey, string> keyIssuers)
    {
        keyIssuers = new Dictionary<SecurityKey, string>(ReferenceEqualityComparer.Instance);
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

            var signingKey = new SymmetricSecurityKey(Convert.FromBase64String(key.Value)) { KeyId = NullIfEmpty(key.Id) };
            keys.Add(signingKey);
            if (!string.IsNullOrWhiteSpace(key.Issuer))
            {
                keyIssuers[signingKey] = key.Issuer;
            }
        }

        return keys;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
