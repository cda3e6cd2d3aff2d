using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace HealthAI.Gateway.Authentication;

/// <summary>
/// Adds RFC 6750's <c>WWW-Authenticate: Bearer error="insufficient_scope"</c> to a 403 caused by a missing scope, so a client
/// can tell "who are you" (401) from "you may not" (403) and knows which scope to ask for.
/// </summary>
internal sealed class InsufficientScopeResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        // Only a scope that is missing makes the 403 "insufficient_scope"; a missing role names no scope to ask for. The scope
        // handler fails explicitly, with itself as the reason.
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { } failure
            && (failure.FailureReasons.Any(reason => reason.Handler is ScopeRequirementHandler)
                || failure.FailedRequirements.Any(requirement => requirement is ScopeRequirement)))
        {
            foreach (var requirement in policy.Requirements)
            {
                if (requirement is ScopeRequirement scopes)
                {
                    context.Response.Headers.WWWAuthenticate =
                        $"Bearer error=\"insufficient_scope\", scope=\"{string.Join(' ', scopes.Scopes)}\"";
                    break;
                }
            }
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
