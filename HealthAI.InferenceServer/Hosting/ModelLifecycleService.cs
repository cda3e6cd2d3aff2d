using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Repository;
using HealthAI.ModelBuilder;
using Microsoft.Extensions.Options;

namespace HealthAI.InferenceServer.Hosting;

/// <summary>
/// Loads the repository before Kestrel starts listening, polls it in poll mode, and drains every model when the host stops
/// (after Kestrel has finished the requests in flight).
/// </summary>
internal sealed class ModelLifecycleService(
    ModelManager models,
    ServerStatus status,
    IOptions<InferenceServerOptions> options,
    TimeProvider timeProvider,
    ILogger<ModelLifecycleService> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _polling = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await EnsureBundledModelAsync(cancellationToken);
        var failed = await models.LoadStartupModelsAsync(cancellationToken);
        if (failed.Count > 0 && options.Value.ExitOnError)
        {
            throw new InvalidOperationException(
                $"failed to load all models ({string.Join(", ", failed)}); start with --exit-on-error=false to serve the others");
        }

        status.MarkStarted();
        if (options.Value.ModelControlMode == ModelControlMode.Poll)
        {
            _polling = PollAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _polling;
        await models.StopAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Generates the bundled model's ONNX file where a repository has its config but not the file (a fresh checkout).</summary>
    private async Task EnsureBundledModelAsync(CancellationToken cancellationToken)
    {
        var preset = options.Value.BundledModelPreset;
        if (preset == "none")
        {
            return;
        }

        foreach (var repository in options.Value.ModelRepositories)
        {
            var model = Path.Combine(repository, BundledModel.ModelName);
            if (File.Exists(Path.Combine(model, ModelConfiguration.ModelConfigLoader.FileName))
                && !File.Exists(Path.Combine(model, BundledModel.Version, BundledModel.ModelFileName)))
            {
                Log.GeneratingBundledModel(logger, BundledModel.ModelName, preset);
                await BundledModel.EnsureAsync(repository, preset == "tiny" ? ModelPreset.Tiny : ModelPreset.DistilBertBase, cancellationToken);
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RepositoryPollSeconds), timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await models.PollAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Log.RepositoryPollFailed(logger, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Host stopping.
        }
    }
}

/// <summary>Prints the one stdout line that tells a parent process (tests, the AppHost) where the server listens.</summary>
internal sealed class ListeningAnnouncer(
    IHostApplicationLifetime lifetime,
    ListenerEndpoints endpoints,
    IOptions<AnnouncerOptions> options,
    ILogger<ListeningAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var http = endpoints.HttpAddress.ToString().TrimEnd('/');
            var grpc = endpoints.GrpcAddress.ToString().TrimEnd('/');
            var metrics = endpoints.MetricsAddress.ToString().TrimEnd('/');
            Log.ServerListening(logger, http, grpc, metrics);
            if (options.Value.WriteToStdout)
            {
                Console.Out.WriteLine($"HealthAI.InferenceServer listening http={http} grpc={grpc} metrics={metrics}");
                Console.Out.Flush();
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Whether the ready line goes to stdout (in-process test hosts turn it off).</summary>
public sealed class AnnouncerOptions
{
    public bool WriteToStdout { get; set; } = true;
}
