using System.Security.Claims;
using System.Text;
using HealthAI.Gateway.Authentication;
using HealthAI.Gateway.Limits;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>A bearer token the gateway's own authentication accepted, and what authorization decided for it, route by route.</summary>
internal sealed class CallerAdmission(ClaimsPrincipal principal, string? clientId, string? issuer, int routeCount)
{
    private const int Unknown = 0, Allowed = 1, Denied = 2;
    private readonly int[] _decisions = new int[routeCount];

    public ClaimsPrincipal Principal { get; } = principal;

    public string? ClientId { get; } = clientId;

    public RateLimitPartitionKey PartitionKey { get; } = new(clientId, null, Issuer: issuer);

    /// <summary>True or false once decided for the route, null while authorization has not been asked.</summary>
    public bool? IsAllowed(int routeIndex) => Volatile.Read(ref _decisions[routeIndex]) switch
    {
        Allowed => true,
        Denied => false,
        _ => null,
    };

    public void Decide(int routeIndex, bool allowed) => Volatile.Write(ref _decisions[routeIndex], allowed ? Allowed : Denied);
}

/// <summary>
/// Admits bearer tokens for the connection-level forwarder with the gateway's own authentication and authorization, run once per
/// token (and once per token and route), then remembered for as long as the validated-token cache would remember it.
/// </summary>
/// <remarks>
/// Nothing is re-implemented here: a new token goes through the registered JWT bearer handler (issuer, audience, lifetime,
/// algorithm, signature, events) on a request context of its own, and each route's policy through the authorization service.
/// Only tokens that were accepted are remembered, keyed by the whole token, each for at most its lifetime plus the clock skew
/// and at most <see cref="BearerTokenOptions.ValidatedTokenCacheDuration"/>, so a hit is exactly a request the pipeline would
/// also have authenticated. A token that fails is not remembered and its request goes to the pipeline, which answers 401/403.
/// </remarks>
internal sealed class CallerAdmissions(
    IServiceScopeFactory scopes,
    IAuthorizationPolicyProvider policies,
    PolicyScopes policyScopes,
    IOptions<BearerTokenOptions> bearerOptions,
    TimeProvider timeProvider)
{
    // Longer tokens are legal but rare; they take the pipeline rather than a large stack buffer.
    private const int MaxTokenChars = 4096;
    private const string BearerPrefix = "Bearer ";

    private readonly BearerTokenOptions _bearer = bearerOptions.Value;
    private readonly AcceptedTokenMap<CallerAdmission> _admissions = new(
        bearerOptions.Value.ValidatedTokenCacheDuration, bearerOptions.Value.ValidatedTokenCacheSize);

    /// <summary>Tokens currently remembered (tests).</summary>
    internal int Count => _admissions.Count;

    /// <summary>The admission of the token in an <c>Authorization</c> value, when it is a remembered, still usable one.</summary>
    public CallerAdmission? TryGet(ReadOnlySpan<byte> authorization)
    {
        if (!TryGetToken(authorization, out var token) || token.Length > MaxTokenChars)
        {
            return null;
        }

        Span<char> chars = stackalloc char[token.Length];
        Encoding.Latin1.GetChars(token, chars);
        return _admissions.TryGet(chars, timeProvider.GetUtcNow(), out var admission) ? admission : null;
    }

    /// <summary>Authenticates a token the way the pipeline does; null when the pipeline would answer 401.</summary>
    public async ValueTask<CallerAdmission?> AdmitAsync(byte[] authorization, int routeCount)
    {
        if (!TryGetToken(authorization, out var tokenBytes) || tokenBytes.Length > MaxTokenChars)
        {
            return null;
        }

        var token = Encoding.Latin1.GetString(tokenBytes);

        await using var scope = scopes.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = Encoding.Latin1.GetString(authorization);
        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is not { } principal)
        {
            return null;
        }

        var now = timeProvider.GetUtcNow();
        var admission = new CallerAdmission(principal, ClientIdentity.Of(principal, out var issuer), issuer, routeCount);
        _admissions.Remember(token, admission, _admissions.UsableUntil(result.Properties?.ExpiresUtc, _bearer.ClockSkew, now), now);
        return admission;
    }

    /// <summary>Runs the route's policy for the admitted caller once and remembers the answer.</summary>
    public async ValueTask<bool> AuthorizeAsync(CallerAdmission admission, ConnectionRoute route)
    {
        if (admission.IsAllowed(route.Index) is { } known)
        {
            return known;
        }

        var policy = route.Authorization == RouteAuthorization.Policy
            ? await policies.GetPolicyAsync(route.PolicyName!)
            : await policies.GetDefaultPolicyAsync();
        var allowed = false;
        if (policy is not null)
        {
            // What the audit trail records for the route, as the pipeline's audit does: the named policy's scopes.
            if (route.Authorization == RouteAuthorization.Policy)
            {
                route.Scopes = policyScopes.Of(route.PolicyName!, policy);
            }

            await using var scope = scopes.CreateAsyncScope();
            var authorization = scope.ServiceProvider.GetRequiredService<IAuthorizationService>();
            allowed = (await authorization.AuthorizeAsync(admission.Principal, resource: null, policy)).Succeeded;
        }

        admission.Decide(route.Index, allowed);
        return allowed;
    }

    // "Bearer <token>", the scheme matched case-insensitively as the bearer handler does.
    private static bool TryGetToken(ReadOnlySpan<byte> authorization, out ReadOnlySpan<byte> token)
    {
        token = default;
        if (authorization.Length <= BearerPrefix.Length || !System.Text.Ascii.EqualsIgnoreCase(authorization[..BearerPrefix.Length], "Bearer "u8))
        {
            return false;
        }

        token = authorization[BearerPrefix.Length..].Trim((byte)' ');
        return !token.IsEmpty;
    }
}
