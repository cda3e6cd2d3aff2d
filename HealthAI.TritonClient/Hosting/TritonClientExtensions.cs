using HealthAI.TritonClient;
using HealthAI.TritonClient.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers a Triton client in the Aspire client-component style: settings from <c>HealthAI:Triton</c>, then
/// <c>HealthAI:Triton:{name}</c>, then the delegate; addresses by service discovery (<c>http://{name}</c> for HTTP,
/// <c>http://_grpc.{name}</c> for gRPC); a readiness health check <c>triton_{name}</c>; an Activity per call.
/// </summary>
public static class TritonClientExtensions
{
    /// <summary>Prefix of the named HttpClients: <c>triton-{name}-http</c> and <c>triton-{name}-grpc</c>.</summary>
    public const string HttpClientNamePrefix = "triton-";

    /// <summary>Registers <see cref="ITritonClient"/> as a singleton (unkeyed, and keyed by <paramref name="connectionName"/>).</summary>
    /// <example>
    /// <code>
    /// builder.AddTritonClient("triton", settings => settings.ModelName = "distilbert-sst2");
    /// // appsettings: "HealthAI": { "Triton": { "Protocol": "Grpc", "InferenceTimeout": "00:00:05" } }
    /// </code>
    /// </example>
    public static IHostApplicationBuilder AddTritonClient(this IHostApplicationBuilder builder, string connectionName,
        Action<TritonClientSettings>? configureSettings = null)
    {
        AddTritonClientCore(builder, connectionName, configureSettings);
        builder.Services.TryAddSingleton(sp => sp.GetRequiredKeyedService<ITritonClient>(connectionName));
        return builder;
    }

    /// <summary>Registers a keyed <see cref="ITritonClient"/> only (several servers in one application).</summary>
    public static IHostApplicationBuilder AddKeyedTritonClient(this IHostApplicationBuilder builder, string name,
        Action<TritonClientSettings>? configureSettings = null)
    {
        AddTritonClientCore(builder, name, configureSettings);
        return builder;
    }

    private static void AddTritonClientCore(IHostApplicationBuilder builder, string name, Action<TritonClientSettings>? configureSettings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TritonClientSettings>, TritonClientSettingsValidator>());

        services.AddOptions<TritonClientSettings>(name)
            .Configure<IConfiguration>((settings, configuration) =>
            {
                configuration.GetSection(TritonClientSettings.DefaultConfigSectionName).Bind(settings);
                configuration.GetSection($"{TritonClientSettings.DefaultConfigSectionName}:{name}").Bind(settings);
                configureSettings?.Invoke(settings);
                settings.Endpoint ??= new Uri($"http://{name}");
                settings.GrpcEndpoint ??= new Uri($"http://_grpc.{name}");
            })
            .ValidateOnStart();

        // The ServiceDefaults pipeline (10 s attempt timeout, breaker shared by all clients, retries of idempotent methods only)
        // does not fit inference: calls queue in the batcher for longer, and gRPC carries its status in trailers the pipeline
        // cannot see. The client applies its own deadline and retry policy (see README), so the handler is removed here;
        // service discovery stays.
        services.AddHttpClient(HttpClientName(name, "http"))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Re-resolve DNS now and then (a Kubernetes Service behind a headless name).
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                AutomaticDecompression = System.Net.DecompressionMethods.None,
            })
            .ConfigureHttpClient(client => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
        services.AddHttpClient(HttpClientName(name, "grpc"))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // One HTTP/2 connection caps concurrent streams (100 by default on most servers); allow more under load.
                EnableMultipleHttp2Connections = true,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            })
            .ConfigureHttpClient(client => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();

        services.AddKeyedSingleton<ITritonClient>(name, (sp, _) =>
        {
            var settings = sp.GetRequiredService<IOptionsMonitor<TritonClientSettings>>().Get(name);
            var transport = settings.Protocol == TritonProtocol.Grpc ? "grpc" : "http";
            var httpClient = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName(name, transport));
            return new TritonClient(httpClient, settings, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<TritonClient>>());
        });

        var registered = new TritonClientSettings();
        builder.Configuration.GetSection(TritonClientSettings.DefaultConfigSectionName).Bind(registered);
        builder.Configuration.GetSection($"{TritonClientSettings.DefaultConfigSectionName}:{name}").Bind(registered);
        configureSettings?.Invoke(registered);
        if (!registered.DisableHealthChecks)
        {
            services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
                $"triton_{name}",
                sp =>
                {
                    var settings = sp.GetRequiredService<IOptionsMonitor<TritonClientSettings>>().Get(name);
                    return new TritonHealthCheck(sp.GetRequiredKeyedService<ITritonClient>(name), settings.ModelName, settings.ModelVersion);
                },
                failureStatus: null,
                tags: ["ready", "triton"]));
        }
    }

    /// <summary>The named HttpClient a Triton client uses; <paramref name="transport"/> is <c>http</c> or <c>grpc</c>.</summary>
    public static string HttpClientName(string name, string transport) => $"{HttpClientNamePrefix}{name}-{transport}";
}
