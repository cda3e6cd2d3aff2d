using HealthAI.AppHost.ApplicationModel;
using HealthAI.AppHost.DevelopmentSecrets;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HealthAI.AppHost.Tests;

public sealed class DevelopmentSecretsTests
{
    private static readonly JwtSettings Settings = new("dotnet-user-jwts", "healthai-gateway", Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray()), "healthai-dev");

    [Fact]
    public async Task Token_validates_with_the_gateway_settings_and_carries_scopes_subject_and_key_id()
    {
        var token = new DevelopmentTokenIssuer(Settings, TimeProvider.System).Issue(["notes.analyze", "models.read"], TimeSpan.FromHours(1));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(Settings.SigningKeyBase64));

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("notes.analyze models.read", jwt.GetClaim("scp").Value);
        Assert.Equal(DevelopmentTokenIssuer.DefaultSubject, jwt.Subject);
        Assert.Equal(DevelopmentTokenIssuer.DefaultSubject, jwt.GetClaim("client_id").Value);
        Assert.Equal("healthai-dev", jwt.Kid);
        Assert.Equal("HS256", jwt.Alg);
    }

    [Fact]
    public async Task Token_signed_with_another_key_or_expired_is_rejected()
    {
        var otherKey = Convert.ToBase64String(new byte[32]);
        var token = new DevelopmentTokenIssuer(Settings, TimeProvider.System).Issue(["notes.analyze"], TimeSpan.FromHours(1));
        Assert.False((await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(otherKey))).IsValid);

        var past = new FixedTimeProvider(DateTimeOffset.UtcNow.AddDays(-2));
        var expired = new DevelopmentTokenIssuer(Settings, past).Issue(["notes.analyze"], TimeSpan.FromHours(1));
        Assert.False((await new JsonWebTokenHandler().ValidateTokenAsync(expired, Parameters(Settings.SigningKeyBase64))).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("notes analyze")]
    public void Scopes_must_be_single_words(string scope) =>
        Assert.Throws<ArgumentException>(() => new DevelopmentTokenIssuer(Settings, TimeProvider.System).Issue([scope], TimeSpan.FromHours(1)));

    [Fact]
    public void Secrets_are_generated_once_kept_private_and_reused_while_configuration_wins()
    {
        var directory = Path.Combine(TestPaths.NewTempDirectory(), ".healthai");
        var calls = 0;
        var key = new ParameterResource("jwt-signing-key", secret: true, defaultValue: null) { DevelopmentValueFactory = () => $"generated-{++calls}" };
        var issuer = new ParameterResource("jwt-issuer", secret: false, defaultValue: "dotnet-user-jwts");

        var first = new DevelopmentSecretStore(directory, _ => null).Resolve([key, issuer]);
        var second = new DevelopmentSecretStore(directory, _ => null).Resolve([key, issuer]);
        var configured = new DevelopmentSecretStore(directory, k => k == "Parameters:jwt-signing-key" ? "from-config" : null).Resolve([key]);

        Assert.Equal("generated-1", first["jwt-signing-key"]);
        Assert.Equal("generated-1", second["jwt-signing-key"]);
        Assert.Equal(1, calls);
        Assert.Equal("dotnet-user-jwts", first["jwt-issuer"]);
        Assert.Equal("from-config", configured["jwt-signing-key"]);
        var file = Path.Combine(directory, DevelopmentSecretStore.FileName);
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        }
    }

    [Fact]
    public void A_parameter_without_any_value_names_its_configuration_key()
    {
        var parameter = new ParameterResource("deid-surrogate-key", secret: true, defaultValue: null);

        var error = Assert.Throws<InvalidOperationException>(() => new DevelopmentSecretStore(TestPaths.NewTempDirectory(), _ => null).Resolve([parameter]));

        Assert.Contains("Parameters:deid-surrogate-key", error.Message, StringComparison.Ordinal);
    }

    private static TokenValidationParameters Parameters(string keyBase64) => new()
    {
        ValidIssuer = Settings.Issuer,
        ValidAudience = Settings.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(keyBase64)) { KeyId = Settings.KeyId },
        ClockSkew = TimeSpan.Zero,
    };

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
