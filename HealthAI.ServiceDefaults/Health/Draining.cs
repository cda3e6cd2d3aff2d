using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HealthAI.ServiceDefaults.Health;

/// <summary>Options for graceful shutdown.</summary>
public sealed class DrainOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "HealthAI:Shutdown";

    /// <summary>How long readiness reports unhealthy before the server stops accepting requests.</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;
}

/// <summary>Whether the host has begun shutting down.</summary>
public sealed class ShutdownState
{
    private volatile bool _draining;

    /// <summary>True once shutdown has begun.</summary>
    public bool IsDraining => _draining;

    internal void BeginDraining() => _draining = true;
}

/// <summary>Readiness is false while draining.</summary>
internal sealed class DrainingHealthCheck(ShutdownState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsDraining ? HealthCheckResult.Unhealthy("Shutting down.") : HealthCheckResult.Healthy());
}

/// <summary>
/// Runs before any hosted service stops (so before Kestrel stops listening): readiness drops first, in-flight requests finish.
/// </summary>
internal sealed class DrainOnShutdownService(ShutdownState state, IOptions<DrainOptions> options, TimeProvider timeProvider)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.BeginDraining();
        var delay = options.Value.DrainDelay;
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, timeProvider, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ran out: stop draining and let the server stop.
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
