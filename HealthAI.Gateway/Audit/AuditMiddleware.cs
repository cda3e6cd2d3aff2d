using HealthAI.Gateway.Authentication;
using HealthAI.Gateway.Limits;
using Microsoft.AspNetCore.Authorization;

namespace HealthAI.Gateway.Audit;

/// <summary>
/// Writes one audit record per request (probes and the OpenAPI document excepted) whatever the outcome: success, 401, 403,
/// 429, validation failure, downstream failure, exception or client cancellation.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, AuditTrail trail, PolicyScopes policyScopes, TimeProvider timeProvider)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(ServiceDefaultsExtensions.HealthPath) || path.StartsWithSegments(ServiceDefaultsExtensions.AlivePath)
            || path.StartsWithSegments("/openapi"))
        {
            await next(context);
            return;
        }

        var feature = new AuditFeature();
        context.Features.Set(feature);
        var started = timeProvider.GetTimestamp();
        var time = timeProvider.GetUtcNow();
        int? statusOverride = null;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            statusOverride = 499;
            throw;
        }
        catch (BadHttpRequestException bad)
        {
            // A body found too large or malformed while it is read (a chunked one has no length up front): the client is
            // answered with its status (413, 400), and the audit says the same.
            statusOverride = bad.StatusCode;
            throw;
        }
        catch
        {
            statusOverride = StatusCodes.Status500InternalServerError;
            throw;
        }
        finally
        {
            var status = statusOverride ?? context.Response.StatusCode;
            await trail.AppendAsync(new AuditRecord
            {
                Time = time,
                RequestId = ProblemDetailsExtensions.GetRequestId(context),
                Subject = ClientIdentity.Of(context.User),
                Method = context.Request.Method,
                Route = context.GetEndpoint()?.Metadata.GetMetadata<GatewayRouteMetadata>()?.RouteId ?? "(unmatched)",
                Scopes = await ScopesUsedAsync(context, status),
                Outcome = Outcome(status),
                Status = status,
                LatencyMs = Math.Round(timeProvider.GetElapsedTime(started).TotalMilliseconds, 3),
                Entities = feature.Entities,
            });
        }
    }

    /// <summary>The scopes the route demanded and the token proved, once authorization let the request through.</summary>
    private ValueTask<IReadOnlyList<string>> ScopesUsedAsync(HttpContext context, int status)
    {
        if (context.User.Identity?.IsAuthenticated != true || status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden
            || context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>()?.Policy is not { } policyName)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>([]);
        }

        return policyScopes.GetAsync(policyName);
    }

    /// <summary>The audit outcome of a final status code.</summary>
    internal static string Outcome(int status) => status switch
    {
        < 400 => "success",
        401 => "unauthenticated",
        403 => "forbidden",
        429 => "rate_limited",
        499 => "cancelled",
        413 or 415 or 400 or 404 or 405 or 422 => "rejected",
        502 or 503 or 504 => "upstream_failure",
        >= 500 => "error",
        _ => "rejected",
    };
}
