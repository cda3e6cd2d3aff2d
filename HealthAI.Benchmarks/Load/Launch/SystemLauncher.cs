using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using HealthAI.Benchmarks.Load.Cli;
using HealthAI.Benchmarks.Load.Progress;

namespace HealthAI.Benchmarks.Load.Launch;

/// <summary>
/// Starts the services the chosen scenarios need as processes on loopback, from their built binaries
/// (<c>&lt;Project&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;Project&gt;.dll</c>): two inference servers (no batching, dynamic batching),
/// deid, a tokenizer and a gateway per server, with a fresh HS256 key the gateways trust and the load generator signs with.
/// </summary>
public static class SystemLauncher
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <remarks>
    /// <c>liftRateLimits</c> is true for Table I runs: the gateway's per-client rate limit (100/s by default) would otherwise cap one
    /// load generator's throughput at the limit instead of the system's capacity. The soak keeps the shipped limits so it
    /// exercises real 429s.
    /// </remarks>
    public static async Task<LaunchedSystem> StartAsync(LoadSettings settings, IRunDisplay display, bool liftRateLimits, CancellationToken cancellationToken)
    {
        var root = settings.RepositoryRoot ?? FindRepositoryRoot(Directory.GetCurrentDirectory());
        var work = Directory.CreateTempSubdirectory("healthai-bench-");
        var (noBatching, batching) = ModelRepositoryVariants.Create(settings.ModelRepository!, work.FullName);
        var key = RandomNumberGenerator.GetBytes(32);
        var system = new LaunchedSystem(work, Convert.ToBase64String(key), "healthai-bench", "healthai-gateway");
        var needs = settings.Scenarios.ToHashSet(StringComparer.Ordinal);
        try
        {
            string Dll(string project) => ServiceBinary(root, project, settings.BuildConfiguration);
            (Uri Http, Uri Grpc)? tritonPlain = null, tritonBatching = null;
            if (needs.Overlaps(["a", "c", "e"]))
            {
                tritonPlain = await StartInferenceServerAsync(system, Dll("HealthAI.InferenceServer"), "triton", noBatching, display, cancellationToken);
            }

            if (needs.Overlaps(["b", "d"]))
            {
                tritonBatching = await StartInferenceServerAsync(system, Dll("HealthAI.InferenceServer"), "triton-batching", batching, display, cancellationToken);
            }

            Uri? deid = null, tokenizer = null, tokenizerBatching = null, gateway = null, gatewayBatching = null;
            if (needs.Overlaps(["c", "d", "e"]))
            {
                deid = await StartWebServiceAsync(system, Dll("HealthAI.Deid"), "deid", new(StringComparer.Ordinal)
                {
                    // Surrogate mode's key is required outside Development; a fresh one per run (the benchmark uses placeholders).
                    ["HealthAI__Deid__SurrogateKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                }, display, cancellationToken);
            }

            if (needs.Overlaps(["c", "e"]))
            {
                tokenizer = await StartWebServiceAsync(system, Dll("HealthAI.Tokenizer"), "tokenizer", TokenizerEnvironment(tritonPlain!.Value, settings.MaxSequenceLength), display, cancellationToken);
            }

            if (needs.Contains("d"))
            {
                tokenizerBatching = await StartWebServiceAsync(system, Dll("HealthAI.Tokenizer"), "tokenizer-batching", TokenizerEnvironment(tritonBatching!.Value, settings.MaxSequenceLength), display, cancellationToken);
            }

            if (needs.Contains("c"))
            {
                gateway = await StartWebServiceAsync(system, Dll("HealthAI.Gateway"), "gateway", GatewayEnvironment(system, "gateway", deid!, tokenizer!, tritonPlain!.Value, liftRateLimits), display, cancellationToken);
            }

            if (needs.Contains("d"))
            {
                gatewayBatching = await StartWebServiceAsync(system, Dll("HealthAI.Gateway"), "gateway-batching", GatewayEnvironment(system, "gateway-batching", deid!, tokenizerBatching!, tritonBatching!.Value, liftRateLimits), display, cancellationToken);
            }

            system.Urls = new TargetUrls(tritonPlain?.Http, tritonPlain?.Grpc, tritonBatching?.Http, tritonBatching?.Grpc, gateway, gatewayBatching, deid, tokenizer);
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>The built service binary, or an error that says how to build it.</summary>
    public static string ServiceBinary(string root, string project, string configuration)
    {
        var dll = Path.Combine(root, project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"{dll} is missing: build it first (dotnet build -c {configuration} {project}).", dll);
    }

    public static string FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HealthAI.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No HealthAI.sln above '{start}'; pass --repo-root.");
    }

    /// <summary>A port the OS says is free now (the service binds it a moment later; on loopback the race is benign).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(Uri Http, Uri Grpc)> StartInferenceServerAsync(
        LaunchedSystem system, string dll, string name, string repository, IRunDisplay display, CancellationToken cancellationToken)
    {
        var process = Launch(system, name, dll,
            ["--model-repository", repository, "--http-port", "0", "--grpc-port", "0", "--metrics-port", "0"], QuietEnvironment([]));
        var banner = await process.WaitForLineAsync(InferenceServerBanner.IsBanner, StartTimeout, cancellationToken);
        var addresses = InferenceServerBanner.Parse(banner);
        display.Line($"started {name} (pid {process.Id}) http={addresses.Http} grpc={addresses.Grpc}");
        return addresses;
    }

    private static async Task<Uri> StartWebServiceAsync(
        LaunchedSystem system, string dll, string name, Dictionary<string, string> environment, IRunDisplay display, CancellationToken cancellationToken)
    {
        var url = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        environment["ASPNETCORE_URLS"] = url.ToString();
        var process = Launch(system, name, dll, [], QuietEnvironment(environment));
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited during start-up. Last output:{Environment.NewLine}{process.Tail()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    display.Line($"started {name} (pid {process.Id}) {url}");
                    return url;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow first answer while it warms up.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{name} did not report healthy on {url}health within {StartTimeout.TotalSeconds:F0}s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <remarks>
    /// Only the last lines are kept, for a start-up failure message (a soak would otherwise hoard every line); at the end of a
    /// run the services are killed at once: their graceful shutdown is the end-to-end tests' subject, not the benchmark's.
    /// </remarks>
    private static ServiceProcess Launch(LaunchedSystem system, string name, string dll, string[] arguments, Dictionary<string, string> environment)
    {
        var process = system.Add(new ServiceProcess(name, dll, arguments, environment) { KeptLines = 20, StopGrace = TimeSpan.Zero });
        process.Start();
        return process;
    }

    private static Dictionary<string, string> TokenizerEnvironment((Uri Http, Uri Grpc) triton, int maxLength) => new(StringComparer.Ordinal)
    {
        // The tokenizer's default max length is DistilBERT's 512; a smaller generated model has fewer positions.
        ["HealthAI__Tokenizer__MaxLength"] = maxLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["HealthAI__Tokenizer__SlidingWindow__Stride"] = (maxLength / 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["services__triton__http__0"] = triton.Http.ToString().TrimEnd('/'),
        ["services__triton__grpc__0"] = triton.Grpc.ToString().TrimEnd('/'),
    };

    private static Dictionary<string, string> GatewayEnvironment(
        LaunchedSystem system, string name, Uri deid, Uri tokenizer, (Uri Http, Uri Grpc) triton, bool liftRateLimits)
    {
        var environment = GatewayEnvironment(system, deid, tokenizer, triton);
        environment["Gateway__Audit__FilePath"] = Path.Combine(system.WorkDirectory, name + "-audit.jsonl");
        if (liftRateLimits)
        {
            environment["Gateway__RateLimiting__TokenLimit"] = "1000000";
            environment["Gateway__RateLimiting__TokensPerPeriod"] = "1000000";
        }

        return environment;
    }

    private static Dictionary<string, string> GatewayEnvironment(LaunchedSystem system, Uri deid, Uri tokenizer, (Uri Http, Uri Grpc) triton) => new(StringComparer.Ordinal)
    {
        ["services__deid__http__0"] = deid.ToString().TrimEnd('/'),
        ["services__tokenizer__http__0"] = tokenizer.ToString().TrimEnd('/'),
        ["services__triton__http__0"] = triton.Http.ToString().TrimEnd('/'),
        ["Authentication__Schemes__Bearer__ValidIssuer"] = system.Issuer,
        ["Authentication__Schemes__Bearer__ValidAudiences__0"] = system.Audience,
        ["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = system.Issuer,
        ["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = system.SigningKeyBase64,
        ["Authentication__Schemes__Bearer__SigningKeys__0__Id"] = "healthai-bench",
    };

    // Benchmarks measure the services, not their console logging.
    private static Dictionary<string, string> QuietEnvironment(Dictionary<string, string> environment)
    {
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return environment;
    }
}
