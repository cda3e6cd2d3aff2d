using Microsoft.IdentityModel.Tokens;

namespace HealthAI.Gateway.Authentication;

/// <summary>
/// A token handler that remembers the tokens its inner handler accepted, so a client that sends the same bearer token on every
/// request pays for parsing, the signature check and claim building once per token instead of once per request.
/// </summary>
/// <remarks>
/// Why this is safe: the key is the whole raw token, signature included, so a hit is a byte-for-byte copy of a token whose
/// signature, issuer, audience, algorithm and lifetime were all checked by the inner handler; a token that differs in one byte
/// is a miss and is validated in full. Only accepted tokens are stored (a rejected token is re-checked, and re-rejected, every
/// time), so an attacker cannot fill the cache with tokens they minted. An entry is used only while its token is still within
/// its lifetime (<c>exp</c> plus the configured clock skew, exactly what the inner check allows) and for at most
/// <see cref="BearerTokenOptions.ValidatedTokenCacheDuration"/>, which bounds how long a signing key removed from the issuer's
/// key set keeps verifying tokens it signed. Each hit hands out a copy of the identity, so nothing done to one request's
/// principal reaches another's. The cache belongs to one <c>JwtBearerOptions</c> instance: new validation settings mean a new,
/// empty cache.
/// </remarks>
internal sealed class ValidatedTokenCache(TokenHandler inner, TimeSpan maxEntryAge, int maxEntries, TimeProvider timeProvider) : TokenHandler
{
    private readonly AcceptedTokenMap<Entry> _entries = new(maxEntryAge, maxEntries);

    /// <summary>Tokens currently remembered (tests).</summary>
    internal int Count => _entries.Count;

    /// <inheritdoc />
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = timeProvider.GetUtcNow();
        if (_entries.TryGet(token, now, out var cached))
        {
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = cached.Identity.Clone(),
                SecurityToken = cached.SecurityToken,
                Issuer = cached.Issuer,
                TokenType = cached.TokenType,
            };
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } securityToken && result.ClaimsIdentity is { } identity)
        {
            Remember(token, securityToken, identity, result, validationParameters.ClockSkew, now);
        }

        return result;
    }

    /// <inheritdoc />
    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    private void Remember(string token, SecurityToken securityToken, System.Security.Claims.ClaimsIdentity identity, TokenValidationResult result, TimeSpan clockSkew, DateTimeOffset now)
    {
        // A token without exp never reaches here (exp is required), but no expiry would make the entry unusable anyway.
        DateTimeOffset? validTo = securityToken.ValidTo == DateTime.MinValue ? null : new DateTimeOffset(DateTime.SpecifyKind(securityToken.ValidTo, DateTimeKind.Utc));

        // The stored identity is never handed out itself, only copies of it.
        _entries.Remember(token, new Entry(identity.Clone(), securityToken, result.Issuer, result.TokenType), _entries.UsableUntil(validTo, clockSkew, now), now);
    }

    private sealed record Entry(System.Security.Claims.ClaimsIdentity Identity, SecurityToken SecurityToken, string? Issuer, string? TokenType);
}
