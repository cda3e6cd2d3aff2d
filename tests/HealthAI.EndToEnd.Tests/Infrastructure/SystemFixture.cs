using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using HealthAI.ModelBuilder;

namespace HealthAI.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole system as real processes on loopback: inference server, deid, tokenizer and gateway, wired through Aspire's
/// environment conventions exactly as the AppHost wires them. Recording proxies sit in front of the tokenizer and the inference
/// server so tests can count what reaches them and prove no canary ever does; every process exports OTLP to a capture receiver.
/// </summary>
public sealed partial class SystemFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    // Readiness turns false this long before Kestrel stops, as a Kubernetes preStop delay would arrange. 3 s, not 1 s: on a
    // loaded 2-core CI machine one readiness+liveness probe pair of the shutdown tests took over a second under load, so no
    // pair fell inside a 1 s drain window.
    private const string DrainDelay = "00:00:03";

    private readonly List<ServiceProcess> _processes = [];
    private string? _workDirectory;
    private string _modelRepository = null!;

    public DevTokens Tokens { get; } = new();

    public OtlpCaptureReceiver Otlp { get; } = new();

    public string AuditFile { get; private set; } = null!;

    public ServiceProcess Triton { get; private set; } = null!;
    public ServiceProcess Deid { get; private set; } = null!;
    public ServiceProcess Tokenizer { get; private set; } = null!;
    public ServiceProcess Gateway { get; private set; } = null!;

    public RecordingTcpProxy TritonHttpProxy { get; private set; } = null!;
    public RecordingTcpProxy TritonGrpcProxy { get; private set; } = null!;
    public RecordingTcpProxy TokenizerProxy { get; private set; } = null!;

    public Uri GatewayAddress { get; private set; } = null!;
    public Uri DeidAddress { get; private set; } = null!;
    public Uri TokenizerAddress { get; private set; } = null!;
    public Uri TritonHttpAddress { get; private set; } = null!;

    public IEnumerable<ServiceProcess> Processes => _processes;

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A client authorised for every public scope.</summary>
    public HttpClient CreateAuthorizedClient(string scopes = "notes.analyze notes.deidentify models.read")
    {
        var client = new HttpClient { BaseAddress = GatewayAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Create(scopes));
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await Otlp.StartAsync(ct);
        _workDirectory = Directory.CreateTempSubdirectory("healthai-e2e-").FullName;
        AuditFile = Path.Combine(_workDirectory, "audit.jsonl");
        _modelRepository = Path.Combine(_workDirectory, "models");
        await BundledModel.EnsureAsync(_modelRepository, ModelPreset.Tiny, ct);

        await StartTritonAsync(ct);
        TritonHttpProxy = new RecordingTcpProxy(new IPEndPoint(IPAddress.Loopback, TritonHttpAddress.Port), []);
        TritonGrpcProxy = new RecordingTcpProxy(new IPEndPoint(IPAddress.Loopback, _tritonGrpcPort), []);

        DeidAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        Deid = StartDeid(DeidAddress);

        TokenizerAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        Tokenizer = StartTokenizer(TokenizerAddress);
        TokenizerProxy = new RecordingTcpProxy(new IPEndPoint(IPAddress.Loopback, TokenizerAddress.Port), ["POST /v1/classify"]);

        await WaitHealthyAsync(DeidAddress, Deid, ct);
        await WaitHealthyAsync(TokenizerAddress, Tokenizer, ct);

        GatewayAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        Gateway = StartGateway(GatewayAddress);
        await WaitHealthyAsync(GatewayAddress, Gateway, ct);
    }

    /// <summary>A second gateway process, wired like the first except that its tokenizer is <paramref name="tokenizer"/>.</summary>
    public async Task<(ServiceProcess Process, Uri Address)> StartGatewayWithTokenizerAsync(Uri tokenizer, CancellationToken ct)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var environment = new Dictionary<string, string>(Tokens.GatewayEnvironment)
        {
            ["ASPNETCORE_URLS"] = address.ToString(),
            ["services__deid__http__0"] = DeidAddress.ToString(),
            ["services__tokenizer__http__0"] = tokenizer.ToString(),
            ["services__triton__http__0"] = TritonHttpProxy.Address.ToString(),
            ["Gateway__Audit__FilePath"] = AuditFile + ".second",
        };
        var process = Start("gateway-2", "HealthAI.Gateway", [], environment);
        await WaitHealthyAsync(address, process, ct);
        return (process, address);
    }

    private int _tritonGrpcPort;

    /// <summary>Starts (or restarts) the inference server on OS-assigned ports and points the proxies at it.</summary>
    public async Task StartTritonAsync(CancellationToken ct)
    {
        // A restart replaces the killed process: the system's process list names only the live ones.
        if (Triton is not null)
        {
            await RetireAsync(Triton);
        }

        Triton = Start("triton", "HealthAI.InferenceServer",
            ["--model-repository", _modelRepository, "--http-port", "0", "--grpc-port", "0", "--metrics-port", "0"],
            new Dictionary<string, string> { ["HealthAI__Shutdown__DrainDelay"] = DrainDelay });
        var line = await Triton.WaitForLineAsync(l => l.StartsWith("HealthAI.InferenceServer listening", StringComparison.Ordinal), StartTimeout, ct);
        var match = ListeningLine().Match(line);
        if (!match.Success)
        {
            throw new InvalidOperationException("Unexpected listening line: " + line);
        }

        TritonHttpAddress = new Uri(match.Groups["http"].Value);
        _tritonGrpcPort = new Uri(match.Groups["grpc"].Value).Port;
        if (TritonHttpProxy is not null)
        {
            TritonHttpProxy.Upstream = new IPEndPoint(IPAddress.Loopback, TritonHttpAddress.Port);
            TritonGrpcProxy.Upstream = new IPEndPoint(IPAddress.Loopback, _tritonGrpcPort);
        }

        await WaitHealthyAsync(TritonHttpAddress, Triton, ct, "/v2/health/ready");
    }

    /// <summary>Stops a process a test started for itself and takes it out of the system.</summary>
    public async Task RetireAsync(ServiceProcess process)
    {
        _processes.Remove(process);
        await process.DisposeAsync();
    }

    /// <summary>Restarts a stopped ASP.NET Core service (deid, tokenizer or gateway) on its former address.</summary>
    public async Task<ServiceProcess> RestartAsync(ServiceProcess stopped, Uri address, CancellationToken ct)
    {
        await RetireAsync(stopped);
        var restarted = stopped.Name switch
        {
            "deid" => Deid = StartDeid(address),
            "tokenizer" => Tokenizer = StartTokenizer(address),
            "gateway" => Gateway = StartGateway(address),
            _ => throw new NotSupportedException(stopped.Name),
        };
        await WaitHealthyAsync(address, restarted, ct);
        return restarted;
    }

    private ServiceProcess StartDeid(Uri address) => Start("deid", "HealthAI.Deid", [], new Dictionary<string, string>
    {
        ["ASPNETCORE_URLS"] = address.ToString(),
        ["HealthAI__Deid__SurrogateKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["HealthAI__Shutdown__DrainDelay"] = DrainDelay,
    });

    private ServiceProcess StartTokenizer(Uri address) => Start("tokenizer", "HealthAI.Tokenizer", [], new Dictionary<string, string>
    {
        ["ASPNETCORE_URLS"] = address.ToString(),
        ["services__triton__http__0"] = TritonHttpProxy.Address.ToString(),
        ["services__triton__grpc__0"] = TritonGrpcProxy.Address.ToString(),
        ["HealthAI__Shutdown__DrainDelay"] = DrainDelay,
    });

    private ServiceProcess StartGateway(Uri address) => Start("gateway", "HealthAI.Gateway", [], new Dictionary<string, string>(Tokens.GatewayEnvironment)
    {
        ["ASPNETCORE_URLS"] = address.ToString(),
        ["services__deid__http__0"] = DeidAddress.ToString(),
        ["services__tokenizer__http__0"] = TokenizerProxy.Address.ToString(),
        ["services__triton__http__0"] = TritonHttpProxy.Address.ToString(),
        ["Gateway__Audit__FilePath"] = AuditFile,
        // The suite is one client sending hundreds of requests; per-client limits are tested in the gateway's own tests.
        ["Gateway__RateLimiting__TokenLimit"] = "100000",
        ["Gateway__RateLimiting__TokensPerPeriod"] = "100000",
        ["HealthAI__Shutdown__DrainDelay"] = DrainDelay,
    });

    private ServiceProcess Start(string name, string project, string[] arguments, Dictionary<string, string> environment)
    {
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["OTEL_SERVICE_NAME"] = name;
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = Otlp.Endpoint.ToString();
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        environment["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        environment["Logging__LogLevel__Default"] = "Information";
        environment["Logging__LogLevel__HealthAI"] = "Debug";
        environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Information";
        var process = new ServiceProcess(name, RepositoryPaths.ServiceDll(project), arguments, environment);
        process.Start();
        _processes.Add(process);
        return process;
    }

    public async Task WaitHealthyAsync(Uri address, ServiceProcess process, CancellationToken ct, string path = "/health")
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited during start-up:\n{process.Tail()}");
            }

            try
            {
                using var response = await Client.GetAsync(new Uri(address, path), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{process.Name} was not healthy at {address}{path} within {StartTimeout}:\n{process.Tail()}");
            }

            await Task.Delay(200, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Reverse order: the gateway first, so nothing calls a service that is already gone.
        // Every process is stopped even if one of them fails to stop cleanly: no orphan may outlive the suite.
        var failures = new List<Exception>();
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            try
            {
                await _processes[i].DisposeAsync();
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                failures.Add(ex);
            }
        }

        foreach (var proxy in new[] { TokenizerProxy, TritonHttpProxy, TritonGrpcProxy })
        {
            if (proxy is not null)
            {
                await proxy.DisposeAsync();
            }
        }

        await Otlp.DisposeAsync();
        Client.Dispose();
        // The model and the audit files, once every process that used them has stopped (a few megabytes a run otherwise).
        TemporaryFolders.DeleteQuietly(_workDirectory);
        if (failures.Count > 0)
        {
            throw new AggregateException("Some service processes did not stop cleanly.", failures);
        }
    }

    [GeneratedRegex(@"http=(?<http>\S+) grpc=(?<grpc>\S+) metrics=(?<metrics>\S+)")]
    private static partial Regex ListeningLine();
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>
{
    public const string Name = "system";
}
