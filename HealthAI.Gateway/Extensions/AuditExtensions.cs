using HealthAI.Gateway.Audit;

namespace Microsoft.Extensions.Hosting;

/// <summary>The hash-chained audit trail.</summary>
public static class GatewayAuditExtensions
{
    /// <summary>Registers the audit writer with its sinks from <c>Gateway:Audit</c>.</summary>
    public static IHostApplicationBuilder AddGatewayAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.SectionName)
            .Validate(o => o.File || o.Stdout, $"Enable '{AuditOptions.SectionName}:File' or '{AuditOptions.SectionName}:Stdout': every request must be audited.")
            .Validate(o => !o.File || !string.IsNullOrWhiteSpace(o.FilePath), $"Set '{AuditOptions.SectionName}:FilePath'.")
            .Validate(o => o.QueueCapacity >= 1, $"'{AuditOptions.SectionName}:QueueCapacity' must be at least 1.")
            .Validate(o => o.BatchDelay >= TimeSpan.Zero && o.BatchDelay <= TimeSpan.FromSeconds(1), $"'{AuditOptions.SectionName}:BatchDelay' must be between 0 and 1 second.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditTrail>());
        return builder;
    }
}
