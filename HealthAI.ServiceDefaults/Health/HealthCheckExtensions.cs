using HealthAI.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>Liveness and readiness checks shared by every service.</summary>
public static class HealthCheckExtensions
{
    /// <summary>
    /// Adds <c>self</c> (liveness: the process answers) and <c>draining</c> (readiness turns false as soon as shutdown
    /// begins, then the host waits <c>HealthAI:Shutdown:DrainDelay</c> so load balancers stop sending before Kestrel stops).
    /// </summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<ShutdownState>();
        builder.Services.AddOptions<DrainOptions>()
            .BindConfiguration(DrainOptions.SectionName)
            .Validate(o => o.DrainDelay >= TimeSpan.Zero && o.DrainDelay <= TimeSpan.FromMinutes(5),
                $"{DrainOptions.SectionName}:{nameof(DrainOptions.DrainDelay)} must be between 00:00:00 and 00:05:00.")
            .ValidateOnStart();
        builder.Services.AddHostedService<DrainOnShutdownService>();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [ServiceDefaultsExtensions.LiveTag])
            .AddCheck<DrainingHealthCheck>("draining");
        return builder;
    }
}
