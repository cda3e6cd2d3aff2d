using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HealthAI.ServiceDefaults.Telemetry;

/// <summary>
/// Creates the tracer and meter providers when the host starts (listeners must exist before the first request) and flushes
/// them when it stops. Disposal is left to the DI container, which created them.
/// </summary>
internal sealed class TelemetryProvidersHost(TracerProvider tracerProvider, MeterProvider meterProvider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        tracerProvider.ForceFlush(timeoutMilliseconds: 2_000);
        meterProvider.ForceFlush(timeoutMilliseconds: 2_000);
        return Task.CompletedTask;
    }
}
