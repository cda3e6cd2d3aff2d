namespace HealthAI.Gateway.Authentication;

/// <summary>
/// The bearer-token settings, read from <c>Authentication:Schemes:Bearer</c> in the layout <c>dotnet user-jwts</c> writes
/// (<c>ValidIssuer</c>, <c>ValidAudiences</c>, <c>SigningKeys:{i}:{Issuer,Value,Id,Length}</c>), plus <c>Authority</c> for an
/// OIDC issuer (Entra ID or any other) whose keys come from its discovery document.
/// </summary>
public sealed class BearerTokenOptions
{
    /// <summary>The configuration section, shared with ASP.NET Core's own reader of the same layout.</summary>
    public const string SectionName = "Authentication:Schemes:Bearer";

    /// <summary>OIDC authority; its <c>.well-known/openid-configuration</c> supplies issuer and signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>Explicit discovery document address when it is not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Refuse discovery over plain http (on by default; a loopback test authority may turn it off).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The one accepted issuer (user-jwts writes this).</summary>
    public string? ValidIssuer { get; set; }

    /// <summary>More accepted issuers.</summary>
    public List<string> ValidIssuers { get; set; } = [];

    /// <summary>The one accepted audience.</summary>
    public string? ValidAudience { get; set; }

    /// <summary>More accepted audiences (user-jwts writes this).</summary>
    public List<string> ValidAudiences { get; set; } = [];

    /// <summary>Symmetric signing keys (base64), each bound to the issuer that uses it.</summary>
    public List<SigningKeyOptions> SigningKeys { get; set; } = [];

    /// <summary>
    /// The allow-list of signature algorithms. Everything else, <c>none</c> included, is refused before any key is tried.
    /// </summary>
    public List<string> ValidAlgorithms { get; set; } = [];

    /// <summary>Tolerance for clock drift between issuer and gateway when checking <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an accepted token is remembered so that repeating it skips re-validation (never past its own expiry);
    /// <c>00:00:00</c> validates every request in full. It also bounds how long a key removed from the issuer's key set keeps
    /// verifying the tokens it signed.
    /// </summary>
    public TimeSpan ValidatedTokenCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many accepted tokens are remembered at once.</summary>
    public int ValidatedTokenCacheSize { get; set; } = 10_000;

    /// <summary>Every accepted issuer, single and list forms together.</summary>
    public IEnumerable<string> AllIssuers() => string.IsNullOrWhiteSpace(ValidIssuer) ? ValidIssuers : ValidIssuers.Prepend(ValidIssuer);

    /// <summary>Every accepted audience, single and list forms together.</summary>
    public IEnumerable<string> AllAudiences() =>
        string.IsNullOrWhiteSpace(ValidAudience) ? ValidAudiences : ValidAudiences.Prepend(ValidAudience);
}

/// <summary>One symmetric signing key in the layout <c>dotnet user-jwts</c> writes.</summary>
public sealed class SigningKeyOptions
{
    /// <summary>The issuer whose tokens this key verifies.</summary>
    public string? Issuer { get; set; }

    /// <summary>The key material, base64.</summary>
    public string? Value { get; set; }

    /// <summary>Key id (<c>kid</c>).</summary>
    public string? Id { get; set; }

    /// <summary>Key length in bytes as user-jwts records it; checked against the decoded value when present.</summary>
    public int? Length { get; set; }
}
