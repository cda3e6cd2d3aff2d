namespace HealthAI.InferenceServer.Hosting;

/// <summary>A server started in this process on real loopback sockets, for tests and benchmarks.</summary>
public sealed class RunningInferenceServer(WebApplication app, ListenerEndpoints endpoints) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    /// <summary>HTTP/REST (HTTP/1.1), e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri HttpAddress => endpoints.HttpAddress;

    /// <summary>gRPC (HTTP/2 cleartext, prior knowledge).</summary>
    public Uri GrpcAddress => endpoints.GrpcAddress;

    /// <summary>Prometheus text at <c>/metrics</c>.</summary>
    public Uri MetricsAddress => endpoints.MetricsAddress;

    public IServiceProvider Services => App.Services;

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Starts the server in-process exactly as <c>Program</c> does, on OS-assigned ports unless the arguments say otherwise.</summary>
public static class InferenceServerHost
{
    /// <param name="args">tritonserver-style flags; <c>--http-port</c>, <c>--grpc-port</c> and <c>--metrics-port</c> default to 0 here.</param>
    /// <param name="configure">Extra settings or services (e.g. another <see cref="Execution.IModelBackend"/>).</param>
    /// <param name="cancellationToken">Cancels start-up (model loading and binding).</param>
    public static async Task<RunningInferenceServer> StartAsync(IReadOnlyList<string> args, Action<WebApplicationBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        if (!ServerCommandLine.TryParse(args, out var commandLine, out var error))
        {
            throw new ArgumentException(error, nameof(args));
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{InferenceServerOptions.SectionName}:{nameof(InferenceServerOptions.HttpPort)}"] = "0",
            [$"{InferenceServerOptions.SectionName}:{nameof(InferenceServerOptions.GrpcPort)}"] = "0",
            [$"{InferenceServerOptions.SectionName}:{nameof(InferenceServerOptions.MetricsPort)}"] = "0",
        });
        builder.Configuration.AddInMemoryCollection(commandLine.Settings);
        builder.Services.Configure<AnnouncerOptions>(o => o.WriteToStdout = false);
        builder.AddServiceDefaults();
        builder.AddInferenceServer();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapInferenceServer();
        await app.StartAsync(cancellationToken);
        return new RunningInferenceServer(app, app.Services.GetRequiredService<ListenerEndpoints>());
    }
}
