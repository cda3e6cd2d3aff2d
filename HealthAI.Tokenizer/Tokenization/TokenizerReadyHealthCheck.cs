using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthAI.Tokenizer.Tokenization;

/// <summary>Readiness: the vocabulary is loaded.</summary>
internal sealed class TokenizerReadyHealthCheck(TokenizerHost host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(host.Tokenizer is not null
            ? HealthCheckResult.Healthy("vocabulary loaded")
            : HealthCheckResult.Unhealthy(host.LoadError is null ? "vocabulary loading" : $"vocabulary failed to load ({host.LoadError})"));
}
