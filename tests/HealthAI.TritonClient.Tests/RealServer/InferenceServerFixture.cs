using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAI.TritonClient.Tests.RealServer;

/// <summary>
/// One HealthAI.InferenceServer for the real-server tests, started in-process on OS-assigned loopback ports with a model
/// repository written here: identity models (Triton's protocol-test backend) for FP32, INT64 pairs and BYTES, and a gated model
/// (batch 1, one instance, queue of one) for overload and deadline behaviour.
/// </summary>
public sealed class InferenceServerFixture : IAsyncLifetime
{
    public const string Fp32Model = "identity_fp32";
    public const string Int64Model = "identity_int64";
    public const string BytesModel = "identity_bytes";

    /// <summary>Scenarios that each get their own gated model per protocol.</summary>
    public static readonly string[] GatedScenarios = ["full", "qtimeout", "deadline", "cancel"];

    private readonly string _repository = Path.Combine(Path.GetTempPath(), "healthai-tritonclient-" + Guid.NewGuid().ToString("N"));
    private readonly List<HttpClient> _httpClients = [];

    public GateBackend Gates { get; } = new();

    /// <summary>The gated model (batch 1, one instance, queue of one) of one scenario and protocol.</summary>
    public static string GatedModel(string scenario, TritonProtocol protocol) => $"gated_{scenario}_{protocol.ToString().ToLowerInvariant()}";

    public RunningInferenceServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        WriteModel(Fp32Model, """
            backend: "identity"
            max_batch_size: 256
            input [ { name: "INPUT0" data_type: TYPE_FP32 dims: [ -1 ] } ]
            output [ { name: "OUTPUT0" data_type: TYPE_FP32 dims: [ -1 ] } ]
            """);
        WriteModel(Int64Model, """
            backend: "identity"
            max_batch_size: 64
            input [ { name: "input_ids" data_type: TYPE_INT64 dims: [ -1 ] }, { name: "attention_mask" data_type: TYPE_INT64 dims: [ -1 ] } ]
            output [ { name: "ids_out" data_type: TYPE_INT64 dims: [ -1 ] }, { name: "mask_out" data_type: TYPE_INT64 dims: [ -1 ] } ]
            """);
        WriteModel(BytesModel, """
            backend: "identity"
            max_batch_size: 16
            input [ { name: "TEXT" data_type: TYPE_STRING dims: [ 1 ] } ]
            output [ { name: "TEXT_OUT" data_type: TYPE_STRING dims: [ 1 ] } ]
            """);
        foreach (var scenario in GatedScenarios)
        {
            foreach (var protocol in Enum.GetValues<TritonProtocol>())
            {
                WriteModel(GatedModel(scenario, protocol), """
                    backend: "gate"
                    max_batch_size: 1
                    input [ { name: "INPUT0" data_type: TYPE_FP32 dims: [ -1 ] } ]
                    output [ { name: "OUTPUT0" data_type: TYPE_FP32 dims: [ -1 ] } ]
                    instance_group [ { count: 1 kind: KIND_CPU } ]
                    dynamic_batching { default_queue_policy { max_queue_size: 1 allow_timeout_override: true } }
                    """);
            }
        }

        Server = await InferenceServerHost.StartAsync(
            ["--model-repository", _repository],
            builder => builder.Services.AddSingleton<IModelBackend>(Gates),
            TestContext.Current.CancellationToken);
    }

    /// <summary>A client over real sockets; HTTP/2 for gRPC, HTTP/1.1 for the HTTP protocols, as the registration configures them.</summary>
    public TritonClient CreateClient(TritonProtocol protocol, Action<TritonClientSettings>? configure = null)
    {
        var settings = new TritonClientSettings
        {
            Protocol = protocol,
            Endpoint = Server.HttpAddress,
            GrpcEndpoint = Server.GrpcAddress,
            InferenceTimeout = TimeSpan.FromSeconds(20),
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        };
        configure?.Invoke(settings);
        var http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = Timeout.InfiniteTimeSpan };
        lock (_httpClients)
        {
            _httpClients.Add(http);
        }

        return new TritonClient(http, settings);
    }

    public async ValueTask DisposeAsync()
    {
        Gates.OpenAll();
        foreach (var http in _httpClients)
        {
            http.Dispose();
        }

        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_repository, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void WriteModel(string name, string config)
    {
        var directory = Path.Combine(_repository, name);
        Directory.CreateDirectory(Path.Combine(directory, "1"));
        File.WriteAllText(Path.Combine(directory, "config.pbtxt"), config);
    }
}

[CollectionDefinition(Name)]
public sealed class InferenceServerCollection : ICollectionFixture<InferenceServerFixture>
{
    public const string Name = "inference server";
}
