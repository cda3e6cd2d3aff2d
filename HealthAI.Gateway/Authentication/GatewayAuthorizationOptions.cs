namespace HealthAI.Gateway.Authentication;

/// <summary>
/// Authorization policies by name, each a set of scopes (all required) and roles (any one suffices when listed). Bound from
/// <c>Gateway:Authorization</c>; the public routes' policies exist even when configuration names none.
/// </summary>
public sealed class GatewayAuthorizationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:Authorization";

    /// <summary>Scope policy of the analyze routes.</summary>
    public const string NotesAnalyze = "notes.analyze";

    /// <summary>Scope policy of de-identification only.</summary>
    public const string NotesDeidentify = "notes.deidentify";

    /// <summary>Scope policy of model metadata and readiness.</summary>
    public const string ModelsRead = "models.read";

    /// <summary>Policies by name.</summary>
    public Dictionary<string, ScopePolicyOptions> Policies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The configured policies with the built-in ones added where configuration is silent.</summary>
    public IReadOnlyDictionary<string, ScopePolicyOptions> EffectivePolicies()
    {
        var policies = new Dictionary<string, ScopePolicyOptions>(Policies, StringComparer.Ordinal);
        foreach (var builtIn in (string[])[NotesAnalyze, NotesDeidentify, ModelsRead])
        {
            policies.TryAdd(builtIn, new ScopePolicyOptions { Scopes = [builtIn] });
        }

        return policies;
    }
}

/// <summary>One policy: the scopes a token must carry and, optionally, the roles of which it must carry one.</summary>
public sealed class ScopePolicyOptions
{
    /// <summary>Scopes, all required (from <c>scp</c> or <c>scope</c>, space separated or repeated).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Roles, any one required (from <c>roles</c> or <c>role</c>); empty means no role check.</summary>
    public List<string> Roles { get; set; } = [];
}
