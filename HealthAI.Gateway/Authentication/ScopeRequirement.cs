using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace HealthAI.Gateway.Authentication;

/// <summary>The token must carry every one of <see cref="Scopes"/>.</summary>
public sealed class ScopeRequirement(IReadOnlyList<string> scopes) : IAuthorizationRequirement
{
    /// <summary>The scopes, all required.</summary>
    public IReadOnlyList<string> Scopes { get; } = scopes;

    /// <summary>Every scope a policy's scope requirements demand, as the audit trail records them.</summary>
    public static string[] ScopesOf(AuthorizationPolicy policy)
    {
        var scopes = new List<string>();
        foreach (var requirement in policy.Requirements)
        {
            if (requirement is ScopeRequirement required)
            {
                scopes.AddRange(required.Scopes);
            }
        }

        return [.. scopes];
    }
}

/// <summary>
/// Reads scopes the way OAuth2 issuers write them: Entra ID and user-jwts put delegated scopes in <c>scp</c>, RFC 8693 and most
/// other issuers in <c>scope</c>; either may be one space-separated string or repeated claims.
/// </summary>
internal sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    private static readonly string[] ScopeClaimTypes = ["scp", "scope", "http://schemas.microsoft.com/identity/claims/scope"];

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        foreach (var scope in requirement.Scopes)
        {
            if (!HasScope(context.User, scope))
            {
                context.Fail(new AuthorizationFailureReason(this, $"missing scope {scope}"));
                return Task.CompletedTask;
            }
        }

        context.Succeed(requirement);
        return Task.CompletedTask;
    }

    internal static bool HasScope(ClaimsPrincipal user, string scope)
    {
        foreach (var claim in user.Claims)
        {
            if (Array.IndexOf(ScopeClaimTypes, claim.Type) < 0)
            {
                continue;
            }

            foreach (var range in claim.Value.AsSpan().Split(' '))
            {
                if (claim.Value.AsSpan()[range].SequenceEqual(scope))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
