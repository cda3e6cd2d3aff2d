using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthAI.TritonClient.Hosting;

/// <summary>
/// Readiness of the Triton dependency: the configured model is ready (or, without a model, the server is ready). Failures are
/// described by status only; the exception message is not copied into the health report.
/// </summary>
internal sealed class TritonHealthCheck(ITritonClient client, string? modelName, string? modelVersion) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var ready = modelName is null
                ? await client.IsServerReadyAsync(cancellationToken)
                : await client.IsModelReadyAsync(modelName, modelVersion, cancellationToken);
            var subject = modelName is null ? "Triton server" : $"Triton model '{modelName}'";
            return ready
                ? HealthCheckResult.Healthy($"{subject} is ready.")
                : new HealthCheckResult(context.Registration.FailureStatus, $"{subject} is not ready.");
        }
        catch (TritonException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Triton readiness probe failed ({ex.Status}).");
        }
    }
}
