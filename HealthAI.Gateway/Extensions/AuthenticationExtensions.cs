using HealthAI.Gateway.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Bearer-token authentication and per-route scope and role policies.</summary>
public static class GatewayAuthenticationExtensions
{
    /// <summary>
    /// JWT bearer authentication from <c>Authentication:Schemes:Bearer</c> (validated at start-up) and one authorization policy
    /// per entry of <c>Gateway:Authorization:Policies</c>, plus the built-in <c>notes.analyze</c>, <c>notes.deidentify</c> and
    /// <c>models.read</c>.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BearerTokenOptions>()
            .BindConfiguration(BearerTokenOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BearerTokenOptions>, BearerTokenOptionsValidator>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        // After AddJwtBearer: ASP.NET Core's own reader of this section replaces TokenValidationParameters wholesale, so ours
        // must run last to keep the algorithm allow-list, required expiry and claim mapping.
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerConfigurator>();

        var authorization = builder.Configuration.GetSection(GatewayAuthorizationOptions.SectionName).Get<GatewayAuthorizationOptions>()
            ?? new GatewayAuthorizationOptions();
        var policies = builder.Services.AddAuthorizationBuilder();
        foreach (var (name, policy) in authorization.EffectivePolicies())
        {
            // No AddAuthenticationSchemes: Bearer is the default scheme, so UseAuthentication has already set the user from it.
            // Naming it again makes the authorization step authenticate a second time and merge the result into a new
            // principal on every request, for the same outcome (same user, same Bearer challenge and forbid).
            policies.AddPolicy(name, p =>
            {
                p.RequireAuthenticatedUser();
                if (policy.Scopes.Count > 0)
                {
                    p.AddRequirements(new ScopeRequirement(policy.Scopes));
                }

                if (policy.Roles.Count > 0)
                {
                    // Entra ID issues "roles"; other issuers (Keycloak mappers, Auth0 rules) often "role": either counts.
                    var roles = policy.Roles.ToArray();
                    p.RequireAssertion(context => context.User.HasClaim(claim =>
                        claim.Type is "roles" or "role" && Array.IndexOf(roles, claim.Value) >= 0));
                }
            });
        }

        builder.Services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, InsufficientScopeResultHandler>();
        builder.Services.AddSingleton<PolicyScopes>();
        return builder;
    }
}
