using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;

namespace HealthAI.Gateway.Authentication;

/// <summary>
/// The scopes each named authorization policy demands, as audit records list them, worked out once per policy (named policies
/// are fixed at start-up). The pipeline's audit and the connection-level forwarder both read them here, so a route's records
/// list the same scopes whichever path served the request.
/// </summary>
internal sealed class PolicyScopes(IAuthorizationPolicyProvider policies)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _byPolicy = new(StringComparer.Ordinal);

    /// <summary>The named policy's scopes; none when there is no such policy.</summary>
    public ValueTask<IReadOnlyList<string>> GetAsync(string policyName) =>
        _byPolicy.TryGetValue(policyName, out var known) ? ValueTask.FromResult(known) : ResolveAsync(policyName);

    /// <summary>The scopes of a policy the caller has already resolved by <paramref name="policyName"/>.</summary>
    public IReadOnlyList<string> Of(string policyName, AuthorizationPolicy policy) =>
        _byPolicy.GetOrAdd(policyName, static (_, resolved) => ScopeRequirement.ScopesOf(resolved), policy);

    private async ValueTask<IReadOnlyList<string>> ResolveAsync(string policyName) =>
        await policies.GetPolicyAsync(policyName) is { } policy ? Of(policyName, policy) : [];
}
