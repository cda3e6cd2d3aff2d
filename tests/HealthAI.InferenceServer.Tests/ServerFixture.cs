using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthAI.InferenceServer.Tests;

/// <summary>One server for the protocol tests, on real loopback sockets, with a repository that also holds a broken model.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const int GrpcLimit = 8 * 1024 * 1024;

    public TestRepository Repository { get; } = new TestRepository()
        .WithModel("simple", TestRepository.Simple)
        .WithModel("strings", TestRepository.Strings)
        .WithModel("slow", TestRepository.Slow)
        .WithModel("broken", TestRepository.Broken);

    public RecordingBackend Recording { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public RunningInferenceServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await InferenceServerHost.StartAsync(
            ["--model-repository", Repository.Root, "--exit-on-error=false", "--strict-readiness=false"],
            builder =>
            {
                builder.Configuration["InferenceServer:GrpcMaxReceiveMessageBytes"] = GrpcLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
                builder.Services.AddSingleton<IModelBackend>(Recording);
                builder.Logging.AddProvider(Logs);
            });
        Http = new HttpClient { BaseAddress = Server.HttpAddress };
    }

    public async ValueTask DisposeAsync()
    {
        Recording.Unblock();
        Http.Dispose();
        await Server.DisposeAsync();
        Repository.Dispose();
    }
}
