using System.Diagnostics;
using HealthAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers the OpenTelemetry SDK's providers with the host by hand: OpenTelemetry.Extensions.Hosting does not restore from
/// this project's package source. The providers are DI singletons, so the container disposes (and flushes) them on shutdown.
/// </summary>
public static class OpenTelemetryExtensions
{
    /// <summary>The source of ASP.NET Core's activity for each incoming request.</summary>
    public const string ServerActivitySource = "Microsoft.AspNetCore";

    /// <summary>Sources and meters the framework itself emits; listened to without the instrumentation packages.</summary>
    public static readonly string[] FrameworkActivitySources = [ServerActivitySource, "System.Net.Http"];

    /// <summary>Meters of ASP.NET Core, Kestrel, HttpClient and the runtime.</summary>
    public static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
    ];

    /// <summary>Every HealthAI component names its ActivitySource and Meter under this prefix.</summary>
    public const string HealthAISourcePrefix = "HealthAI.*";

    /// <summary>
    /// Traces, metrics and logs through the OpenTelemetry SDK. Export happens over OTLP only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without an exporter (and without a span processor registered in DI) nothing
    /// would ever read a recorded span or an aggregated measurement, so none are made: each incoming request still gets an
    /// activity, unrecorded, so W3C trace context flows between services and ProblemDetails carry the trace id, but no tags,
    /// no child spans and no metric instruments are listened to per request.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var settings = OtlpSettings.FromConfiguration(builder.Configuration, builder.Environment.ApplicationName);
        builder.Services.AddSingleton(settings);

        if (settings.Endpoint is not null)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.SetResourceBuilder(settings.CreateResource());
                // Formatted messages are built from [LoggerMessage] templates that carry ids and counts, never note text.
                logging.IncludeFormattedMessage = true;
                // Scopes are off: ASP.NET Core scopes carry request paths and connection ids we have not vetted for PHI.
                logging.IncludeScopes = false;
                logging.AddOtlpExporter(o => settings.Apply(o, "/v1/logs"));
            });
        }

        builder.Services.AddSingleton(sp => new TraceRecording(settings.Endpoint is not null || sp.GetServices<BaseProcessor<Activity>>().Any()));
        builder.Services.AddSingleton(sp => BuildTracerProvider(
            settings, sp.GetRequiredService<TraceRecording>(), sp.GetServices<BaseProcessor<Activity>>().ToArray()));
        builder.Services.AddSingleton(sp => BuildMeterProvider(settings));
        builder.Services.AddHostedService<TelemetryProvidersHost>();
        return builder;
    }

    private static TracerProvider BuildTracerProvider(OtlpSettings settings, TraceRecording recording, BaseProcessor<Activity>[] extraProcessors)
    {
        // AlwaysOff is the SDK's propagation-only mode: a root or remote-parent activity exists (unrecorded) so its trace id
        // is passed on, and local children are not created at all; SocketsHttpHandler injects Activity.Current either way.
        var recorded = recording.Enabled;
        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(settings.CreateResource())
            .SetSampler(recorded ? new ParentBasedSampler(new AlwaysOnSampler()) : new AlwaysOffSampler())
            // Unrecorded, an outgoing call's own activity would only be created, tagged and stopped for nothing: without a
            // listener SocketsHttpHandler injects the trace context of the incoming request's activity instead.
            .AddSource(recorded ? FrameworkActivitySources : [ServerActivitySource])
            .AddSource(HealthAISourcePrefix, settings.ServiceName)
            .AddProcessor(new ProbeSpanDropProcessor());
        // Processors registered in DI (a test's capture, a PHI audit of span tags) run before the exporter.
        foreach (var processor in extraProcessors)
        {
            tracing.AddProcessor(processor);
        }

        if (settings.Endpoint is not null)
        {
            tracing.AddOtlpExporter(o => settings.Apply(o, "/v1/traces"));
        }

        return tracing.Build();
    }

    private static MeterProvider BuildMeterProvider(OtlpSettings settings)
    {
        var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(settings.CreateResource());
        // Listening to a meter makes every instrument of it record (and aggregate by tags) on every request; with no reader
        // to export them that is pure cost, so the meters are only listened to when they are exported.
        if (settings.Endpoint is not null)
        {
            metrics.AddMeter(FrameworkMeters)
                .AddMeter(HealthAISourcePrefix, settings.ServiceName)
                .AddOtlpExporter(o => settings.Apply(o, "/v1/metrics"));
        }

        return metrics.Build();
    }
}

/// <summary>
/// Whether spans are recorded (an OTLP exporter or a span processor reads them) or only trace context is propagated. Code that
/// makes its own trace context (a hot path writing <c>traceparent</c> itself) can skip creating unrecorded activities.
/// </summary>
/// <param name="Enabled">True when spans are recorded.</param>
public sealed record TraceRecording(bool Enabled);

/// <summary>The OTLP settings read once from the standard OTEL_* variables.</summary>
public sealed record OtlpSettings(string ServiceName, Uri? Endpoint, OtlpExportProtocol Protocol, string? Headers)
{
    /// <summary>Reads <c>OTEL_SERVICE_NAME</c>, <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>_PROTOCOL</c> and <c>_HEADERS</c>.</summary>
    public static OtlpSettings FromConfiguration(IConfiguration configuration, string applicationName)
    {
        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : applicationName;
        var endpointText = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        Uri? endpoint = null;
        if (!string.IsNullOrWhiteSpace(endpointText) && !Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint))
        {
            throw new InvalidOperationException(
                $"Configuration key 'OTEL_EXPORTER_OTLP_ENDPOINT' must be an absolute URI such as http://localhost:4317.");
        }

        var protocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new InvalidOperationException(
                $"Configuration key 'OTEL_EXPORTER_OTLP_PROTOCOL' is '{other}'; expected 'grpc' or 'http/protobuf'."),
        };
        return new OtlpSettings(serviceName, endpoint, protocol, configuration["OTEL_EXPORTER_OTLP_HEADERS"]);
    }

    internal ResourceBuilder CreateResource() =>
        ResourceBuilder.CreateDefault().AddService(ServiceName, serviceInstanceId: Environment.MachineName);

    internal void Apply(OtlpExporterOptions options, string signalPath)
    {
        options.Protocol = Protocol;
        // With an explicit endpoint the exporter does not append the signal path for OTLP/HTTP; the spec says it should.
        options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(Endpoint!, Endpoint!.AbsolutePath.TrimEnd('/') + signalPath)
            : Endpoint!;
        if (!string.IsNullOrEmpty(Headers))
        {
            options.Headers = Headers;
        }
    }
}
