using System.Security.Claims;
using HealthAI.Gateway.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HealthAI.Gateway.Tests;

/// <summary>The cache of accepted tokens in front of the real JsonWebTokenHandler: it may save work, never widen what is accepted.</summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = TestTokens.Issuer,
        ValidAudience = TestTokens.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(TestTokens.Key) { KeyId = TestTokens.KeyId },
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    private readonly CountingHandler _inner = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    private ValidatedTokenCache CreateCache(int maxEntries = 100) => new(_inner, TimeSpan.FromMinutes(5), maxEntries, _clock);

    [Fact]
    public async Task RepeatedValidToken_IsValidatedOnce_AndEachHitGetsItsOwnIdentity()
    {
        var cache = CreateCache();
        var token = TestTokens.Create(subject: "cached-client");

        var first = await cache.ValidateTokenAsync(token, Parameters);
        var second = await cache.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _inner.Calls);
        Assert.Equal("cached-client", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        // A claim added to one request's identity stays with that request.
        second.ClaimsIdentity.AddClaim(new Claim("added", "by-one-request"));
        var third = await cache.ValidateTokenAsync(token, Parameters);
        Assert.Null(third.ClaimsIdentity.FindFirst("added"));
    }

    [Fact]
    public async Task RejectedTokens_AreNeverRemembered()
    {
        var cache = CreateCache();
        var wrongKey = TestTokens.Create(credentials: TestTokens.HmacWith(new byte[32]));
        var unsigned = TestTokens.CreateUnsigned();

        foreach (var token in (string[])[wrongKey, wrongKey, unsigned, unsigned])
        {
            Assert.False((await cache.ValidateTokenAsync(token, Parameters)).IsValid);
        }

        Assert.Equal(4, _inner.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task TamperedCopyOfACachedToken_IsValidatedInFull_AndRejected()
    {
        var cache = CreateCache();
        var token = TestTokens.Create();
        Assert.True((await cache.ValidateTokenAsync(token, Parameters)).IsValid);
        // A character well inside the signature (the last one also carries padding bits a decoder may ignore).
        var index = token.Length - 5;
        var tampered = string.Concat(token.AsSpan(0, index), token[index] == 'A' ? "B" : "A", token.AsSpan(index + 1));

        var result = await cache.ValidateTokenAsync(tampered, Parameters);

        Assert.False(result.IsValid);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task CachedToken_StopsBeingAccepted_WhenItExpires()
    {
        var cache = CreateCache();
        var expires = DateTime.UtcNow.AddMinutes(2);
        var token = TestTokens.Create(expires: expires);
        Assert.True((await cache.ValidateTokenAsync(token, Parameters)).IsValid);

        // Within exp + clock skew: served from the cache.
        _clock.Now = new DateTimeOffset(expires).AddSeconds(20);
        Assert.True((await cache.ValidateTokenAsync(token, Parameters)).IsValid);
        Assert.Equal(1, _inner.Calls);

        // Past it: the cache does not answer, the inner handler decides again.
        _clock.Now = new DateTimeOffset(expires).AddSeconds(31);
        await cache.ValidateTokenAsync(token, Parameters);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task CachedToken_IsRevalidated_AfterTheCacheDuration()
    {
        var cache = CreateCache();
        var token = TestTokens.Create(expires: DateTime.UtcNow.AddHours(2));
        await cache.ValidateTokenAsync(token, Parameters);

        _clock.Now += TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1);
        await cache.ValidateTokenAsync(token, Parameters);

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task FullCache_StillValidates_WithoutGrowing()
    {
        var cache = CreateCache(maxEntries: 2);
        var tokens = Enumerable.Range(0, 4).Select(i => TestTokens.Create(subject: $"client-{i}")).ToArray();

        foreach (var token in tokens)
        {
            Assert.True((await cache.ValidateTokenAsync(token, Parameters)).IsValid);
        }

        Assert.Equal(2, cache.Count);
        Assert.True((await cache.ValidateTokenAsync(tokens[3], Parameters)).IsValid);
        Assert.Equal(5, _inner.Calls);
    }

    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

        public int Calls { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            return _handler.ValidateTokenAsync(token, validationParameters);
        }
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
