using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace HealthAI.Gateway.Tests;

public sealed class AuthenticationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly object Note = new { text = "Patient feels good today." };

    private async Task<HttpResponseMessage> AnalyzeAsync(string? token, GatewayApp? app = null)
    {
        fixture.ResetFakes();
        var client = (app ?? fixture.App).CreateClient(token);
        return await client.PostAsJsonAsync("/v1/notes/analyze", Note, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ValidToken_WithScope_IsAccepted()
    {
        var response = await AnalyzeAsync(TestTokens.Create());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ScopeInScopeClaim_IsAccepted()
    {
        var response = await AnalyzeAsync(TestTokens.Create(scopes: "openid notes.analyze", scopeClaim: "scope"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NoToken_Is401_WithBearerChallenge_AndNothingDownstream()
    {
        var response = await AnalyzeAsync(null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(0, fixture.Deid.Calls);
    }

    [Fact]
    public void TheRawTokenIsNotKeptInTheAuthenticationProperties()
    {
        var options = fixture.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<JwtBearerOptions>>()
            .Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.False(options.SaveToken);
        Assert.False(options.MapInboundClaims);
    }

    public static TheoryData<string, string> BadTokens()
    {
        var now = DateTime.UtcNow;
        return new TheoryData<string, string>
        {
            { "expired", TestTokens.Create(notBefore: now.AddHours(-2), expires: now.AddHours(-1)) },
            { "not yet valid", TestTokens.Create(notBefore: now.AddHours(1), expires: now.AddHours(2)) },
            { "wrong issuer", TestTokens.Create(issuer: "https://evil.example") },
            { "wrong audience", TestTokens.Create(audience: "some-other-api") },
            { "wrong key", TestTokens.Create(credentials: TestTokens.HmacWith(RandomNumberGenerator.GetBytes(32))) },
            { "alg none", TestTokens.CreateUnsigned() },
            { "garbage", "not.a.jwt" },
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task InvalidToken_Is401_WithInvalidTokenChallenge(string why, string token)
    {
        var response = await AnalyzeAsync(token);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, why);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Deid.Calls);
    }

    [Fact]
    public async Task MissingScope_Is403_WithInsufficientScope()
    {
        var response = await AnalyzeAsync(TestTokens.Create(scopes: "models.read"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Contains("insufficient_scope", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("notes.analyze", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, fixture.Deid.Calls);
    }

    [Fact]
    public async Task ScopeMustMatchWholeWord()
    {
        var response = await AnalyzeAsync(TestTokens.Create(scopes: "notes.analyzer notes"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task RolePolicy_FromConfiguration_RequiresOneOfTheRoles()
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        settings["Gateway:Authorization:Policies:notes.analyze:Scopes:0"] = "notes.analyze";
        settings["Gateway:Authorization:Policies:notes.analyze:Roles:0"] = "clinician";
        settings["Gateway:Authorization:Policies:notes.analyze:Roles:1"] = "records-officer";
        await using var app = new GatewayApp(settings);

        var withoutRole = await AnalyzeAsync(TestTokens.Create(), app);
        var withOtherRole = await AnalyzeAsync(TestTokens.Create(roles: ["billing"]), app);
        var withRole = await AnalyzeAsync(TestTokens.Create(roles: ["records-officer"]), app);
        var roleWithoutScope = await AnalyzeAsync(TestTokens.Create(scopes: "models.read", roles: ["clinician"]), app);

        var withRoleClaim = await AnalyzeAsync(TestTokens.Create(roles: ["clinician"], roleClaim: "role"), app);

        Assert.Equal(HttpStatusCode.Forbidden, withoutRole.StatusCode);
        // The token has the scope; only the role is missing, so the 403 names no scope to ask for.
        Assert.Empty(withoutRole.Headers.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.Forbidden, withOtherRole.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withRole.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withRoleClaim.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, roleWithoutScope.StatusCode);
        Assert.Contains("insufficient_scope", roleWithoutScope.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyBoundToOneIssuer_DoesNotVerifyTokensClaimingAnother()
    {
        // Two accepted issuers, each with its own key. Issuer A's key must not sign for issuer B.
        const string issuerB = "https://issuer-b.test.healthai";
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        var credentialsB = TestTokens.AddSecondIssuer(settings, issuerB);
        await using var app = new GatewayApp(settings);

        var forged = TestTokens.Create(issuer: issuerB);
        var forgedWithoutKid = TestTokens.Create(issuer: issuerB, credentials: TestTokens.HmacWith(TestTokens.Key));
        var genuineB = TestTokens.Create(issuer: issuerB, credentials: credentialsB);
        var genuineA = TestTokens.Create();

        Assert.Equal(HttpStatusCode.Unauthorized, (await AnalyzeAsync(forged, app)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AnalyzeAsync(forgedWithoutKid, app)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AnalyzeAsync(genuineB, app)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AnalyzeAsync(genuineA, app)).StatusCode);
    }

    [Fact]
    public async Task HmacSignedWithTheRsaPublicKey_IsRejected_WhileRs256IsAccepted()
    {
        // The gateway trusts an RSA key (as it would from an OIDC authority's JWKS). The attacker knows the public key and uses
        // its bytes as an HMAC secret, hoping the verifier picks HS256 with the "key" it has.
        using var rsa = RSA.Create(2048);
        var publicKey = new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "rsa-1" };
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        await using var app = new GatewayApp(settings)
        {
            ConfigureTestServices = services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                o => o.TokenValidationParameters.IssuerSigningKeys = [.. o.TokenValidationParameters.IssuerSigningKeys, publicKey]),
        };

        var confused = TestTokens.Create(credentials: TestTokens.HmacWith(rsa.ExportSubjectPublicKeyInfo()));
        var genuine = TestTokens.Create(credentials: new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256));

        Assert.Equal(HttpStatusCode.Unauthorized, (await AnalyzeAsync(confused, app)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AnalyzeAsync(genuine, app)).StatusCode);
    }

    [Fact]
    public async Task AlgorithmOutsideAllowList_IsRejected()
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        settings["Authentication:Schemes:Bearer:ValidAlgorithms:0"] = "RS256";
        await using var app = new GatewayApp(settings);

        // Correct key, correct claims, but HS256 is no longer on the list.
        var response = await AnalyzeAsync(TestTokens.Create(), app);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StartUp_FailsNamingTheKey_WhenIssuerAndKeysAreMissing()
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        settings.Remove("Authentication:Schemes:Bearer:ValidIssuer");
        settings.Remove("Authentication:Schemes:Bearer:SigningKeys:0:Value");
        await using var app = new GatewayApp(settings);

        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        var message = error.ToString();
        Assert.Contains("Authentication:Schemes:Bearer:ValidIssuer", message, StringComparison.Ordinal);
        Assert.Contains("Authentication:Schemes:Bearer:SigningKeys:0:Value", message, StringComparison.Ordinal);
    }
}
