using HealthAI.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every HealthAI service starts from: telemetry, health, service discovery, resilient HTTP clients and
/// ProblemDetails. The shape follows Aspire's ServiceDefaults template so the real packages can replace the pieces one by one.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Liveness path: the process answers. Only checks tagged <see cref="LiveTag"/> run.</summary>
    public const string AlivePath = "/alive";

    /// <summary>Readiness path: every registered check, dependencies and models included.</summary>
    public const string HealthPath = "/health";

    /// <summary>Tag for checks that belong to liveness.</summary>
    public const string LiveTag = "live";

    /// <summary>Adds telemetry, health checks, service discovery, resilient HttpClient defaults and ProblemDetails.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.AddHttpResilienceOptions(builder.Configuration);
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.AddPhiSafeProblemDetails();
        return builder;
    }

    /// <summary>
    /// Puts the error middleware first in the pipeline and maps <c>/alive</c> and <c>/health</c> in every environment:
    /// orchestrators probe production too.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UsePhiSafeProblemDetails();
        app.UseMiddleware<ProbeTraceFilterMiddleware>();

        // Orchestrators probe often and from one address: a service's rate limits never apply to its probes.
        app.MapHealthChecks(HealthPath).DisableRateLimiting();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) }).DisableRateLimiting();
        return app;
    }
}
