using System.Net;
using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Grpc;
using HealthAI.InferenceServer.Hosting;
using HealthAI.InferenceServer.Http;
using HealthAI.InferenceServer.Metrics;
using HealthAI.InferenceServer.Repository;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Wiring of the inference server: options, model repository, backends, protocols and the three listeners.</summary>
public static class InferenceServerExtensions
{
    public static WebApplicationBuilder AddInferenceServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<InferenceServerOptions>().BindConfiguration(InferenceServerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InferenceServerOptions>, InferenceServerOptionsValidator>();
        services.AddOptions<AnnouncerOptions>();

        // stdout carries exactly one line (the listening line); every log goes to stderr.
        services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        services.AddSingleton<IModelBackend, OnnxRuntimeBackend>();
        services.AddSingleton<IModelBackend, IdentityBackend>();
        services.AddSingleton<ModelManager>();
        services.AddSingleton<ServerStatus>();
        services.AddSingleton<InferenceService>();
        services.AddSingleton<GrpcInferenceMethods>();
        services.AddSingleton<GrpcCallHandler>();
        services.AddSingleton<PrometheusMetricsWriter>();
        services.AddSingleton<ListenerEndpoints>();
        services.AddHostedService<ModelLifecycleService>();
        services.AddHostedService<ListeningAnnouncer>();
        services.AddHealthChecks().AddCheck<ModelsReadyHealthCheck>("models");

        builder.WebHost.ConfigureKestrel((_, kestrel) =>
        {
            var options = kestrel.ApplicationServices.GetRequiredService<IOptions<InferenceServerOptions>>().Value;
            var endpoints = kestrel.ApplicationServices.GetRequiredService<ListenerEndpoints>();
            var address = options.Host == "localhost" || !IPAddress.TryParse(options.Host, out var parsed) ? IPAddress.Loopback : parsed;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;
            kestrel.Listen(address, options.HttpPort, l => { l.Protocols = HttpProtocols.Http1; endpoints.Http = l; });
            kestrel.Listen(address, options.GrpcPort, l => { l.Protocols = HttpProtocols.Http2; endpoints.Grpc = l; });
            kestrel.Listen(address, options.MetricsPort, l => { l.Protocols = HttpProtocols.Http1; endpoints.Metrics = l; });
        });
        return builder;
    }

    public static WebApplication MapInferenceServer(this WebApplication app)
    {
        app.UseMiddleware<ListenerRoutingMiddleware>();
        app.MapKServeHttpApi();
        return app;
    }

    private sealed class ModelsReadyHealthCheck(ServerStatus status) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(status.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Models are not ready."));
    }
}
