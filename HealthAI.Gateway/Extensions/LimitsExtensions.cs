using System.Globalization;
using System.Threading.RateLimiting;
using HealthAI.Gateway.Authentication;
using HealthAI.Gateway.Limits;
using HealthAI.Gateway.Logging;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Per-client rate limiting and the per-route media type and body-size table.</summary>
public static class GatewayLimitsExtensions
{
    /// <summary>Registers the token-bucket limiter (<c>Gateway:RateLimiting</c>) and the route table (<c>Gateway:Routes</c>).</summary>
    public static IHostApplicationBuilder AddGatewayLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClientRateLimitOptions>()
            .BindConfiguration(ClientRateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.ReplenishmentPeriod > TimeSpan.Zero,
                $"'{ClientRateLimitOptions.SectionName}:ReplenishmentPeriod' must be positive.")
            .ValidateOnStart();

        builder.Services.AddSingleton<GatewayRoutesOptionsSetup>();
        builder.Services.AddSingleton<IConfigureOptions<GatewayRoutesOptions>>(sp => sp.GetRequiredService<GatewayRoutesOptionsSetup>());
        builder.Services.AddSingleton<IValidateOptions<GatewayRoutesOptions>>(sp => sp.GetRequiredService<GatewayRoutesOptionsSetup>());
        builder.Services.AddOptions<GatewayRoutesOptions>().ValidateOnStart();

        builder.Services.AddSingleton<ClientRateLimiter>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<ClientRateLimiter>((limiter, clients) =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Every request spends from its caller's bucket, a request for no route (404, 405) too, or a client could probe
            // paths without limit; the probes and the OpenAPI document opt out with DisableRateLimiting.
            limiter.GlobalLimiter = clients.Buckets.WithTranslatedKey<HttpContext>(PartitionKey, leaveOpen: true);
            limiter.OnRejected = OnRejectedAsync;
        });
        return builder;
    }

    /// <summary>
    /// The gateway's request policies, in order: audit (sees every outcome), authentication, rate limiting per client,
    /// authorization, then the route table.
    /// </summary>
    public static WebApplication UseGatewayPolicies(this WebApplication app)
    {
        app.UseMiddleware<HealthAI.Gateway.Audit.AuditMiddleware>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<RoutePolicyMiddleware>();
        return app;
    }

    /// <summary>The client a token was issued to (else its subject) within its issuer, else the remote address for anonymous callers.</summary>
    internal static RateLimitPartitionKey PartitionKey(HttpContext context) =>
        ClientIdentity.Of(context.User, out var issuer) is { } client
            ? new RateLimitPartitionKey(client, null, Issuer: issuer)
            : new RateLimitPartitionKey(null, context.Connection.RemoteIpAddress);

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);

        var routeId = context.GetEndpoint()?.Metadata.GetMetadata<GatewayRouteMetadata>()?.RouteId ?? "(none)";
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HealthAI.Gateway.RateLimiting");
        var requestId = ProblemDetailsExtensions.GetRequestId(context);
        Log.RateLimited(logger, routeId, retryAfter, requestId);

        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"Retry after {retryAfter} s.",
            },
        });
    }
}
