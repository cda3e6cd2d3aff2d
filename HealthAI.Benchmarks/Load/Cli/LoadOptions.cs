using System.CommandLine;
using System.Globalization;
using HealthAI.Benchmarks.Load.Targets;

namespace HealthAI.Benchmarks.Load.Cli;

/// <summary>The options of <c>load</c> and <c>soak</c>, and their translation into validated <see cref="LoadSettings"/>.</summary>
public sealed class LoadOptions
{
    private readonly bool _soak;

    public LoadOptions(bool soak)
    {
        _soak = soak;
        Scenarios = new Option<string>("--scenarios", "-s")
        {
            Description = "Scenarios to run, comma-separated: a (server direct), b (direct, batching), c (gateway), d (gateway, batching), e (deid and tokenizer alone), o (in-process ONNX Runtime ceiling).",
            DefaultValueFactory = _ => soak ? "c" : "a,b,c,d,e,o",
        };
        Users = new Option<string>("--users", "-u") { Description = "Virtual users per phase, comma-separated.", DefaultValueFactory = _ => soak ? "100" : "10,50,100" };
        Protocols = new Option<string>("--protocols", "-p") { Description = "http1, http2, grpc (gRPC applies to a and b), comma-separated.", DefaultValueFactory = _ => "http1" };
        Warmup = new Option<string>("--warmup") { Description = "Warm-up before measuring (e.g. 5s).", DefaultValueFactory = _ => soak ? "10s" : "5s" };
        Duration = new Option<string?>("--duration", "-d") { Description = "Measured time per phase (e.g. 30s, 10m). Default 20s (soak 60s) unless --requests is given." };
        Requests = new Option<long?>("--requests", "-n") { Description = "Measured requests per phase instead of a duration." };
        Rate = new Option<double?>("--rate-per-user") { Description = "Pace each user at this many requests per second (latency then counts from the intended send time)." };
        Timeout = new Option<string>("--timeout") { Description = "Per-request timeout.", DefaultValueFactory = _ => "30s" };
        Output = new Option<string>("--out", "-o") { Description = "Folder for results.json, results.md and the SVG charts.", DefaultValueFactory = _ => Path.Combine("artifacts", "benchmarks") };
        CorpusSize = new Option<int>("--corpus-size") { Description = "Distinct synthetic texts.", DefaultValueFactory = _ => 512 };
        Seed = new Option<int>("--seed") { Description = "Corpus seed.", DefaultValueFactory = _ => 20241121 };
        Plain = new Option<bool>("--plain") { Description = "Plain progress lines even in a terminal." };
        TritonUrl = UrlOption("--triton-url", "Inference server HTTP address, no batching (scenario a).");
        TritonGrpcUrl = UrlOption("--triton-grpc-url", "Inference server gRPC address, no batching (scenario a over gRPC).");
        TritonBatchingUrl = UrlOption("--triton-batching-url", "Inference server HTTP address with dynamic batching (scenario b).");
        TritonBatchingGrpcUrl = UrlOption("--triton-batching-grpc-url", "Inference server gRPC address with dynamic batching.");
        GatewayUrl = UrlOption("--gateway-url", "Gateway in front of the no-batching server (scenario c).");
        GatewayBatchingUrl = UrlOption("--gateway-batching-url", "Gateway in front of the batching server (scenario d).");
        DeidUrl = UrlOption("--deid-url", "De-identification service (scenario e).");
        TokenizerUrl = UrlOption("--tokenizer-url", "Tokenizer service (scenario e).");
        Token = new Option<string?>("--token") { Description = "Bearer token for the gateway." };
        SigningKey = new Option<string?>("--jwt-signing-key") { Description = "Base64 HS256 key to mint a notes.analyze token (the gateway's Authentication:Schemes:Bearer:SigningKeys:0:Value)." };
        Issuer = new Option<string>("--jwt-issuer") { Description = "Token issuer.", DefaultValueFactory = _ => "healthai-dev" };
        Audience = new Option<string>("--jwt-audience") { Description = "Token audience.", DefaultValueFactory = _ => "healthai-gateway" };
        StartSystem = new Option<bool>("--start-system") { Description = "Start the services as processes (Release builds) instead of targeting URLs." };
        ModelRepository = new Option<string?>("--model-repository") { Description = "Model repository to serve when starting the system and for scenario o; batching on/off variants are derived from it. Generated under --out when omitted." };
        Preset = new Option<string?>("--model-preset") { Description = "Graph to generate when no --model-repository is given: distilbert-base (default) or tiny." };
        Configuration = new Option<string>("--build-configuration") { Description = "Build configuration of the service binaries.", DefaultValueFactory = _ => "Release" };
        RepositoryRoot = new Option<string?>("--repo-root") { Description = "Repository root (found from the working directory by default)." };
        Pids = new Option<int[]>("--pid") { Description = "Process ids whose RSS the soak watches (when it did not start them).", AllowMultipleArgumentsPerToken = true };
        Clients = new Option<int?>("--clients") { Description = "Distinct client identities (one dev JWT each, own sub/client_id/azp) the users are spread over round-robin. Default 1 (soak: one per 10 users)." };
        MaxGrowth = new Option<double>("--max-memory-growth") { Description = "Allowed RSS growth after warm-up, as a fraction.", DefaultValueFactory = _ => 0.10 };
    }

    public Option<string> Scenarios { get; }
    public Option<string> Users { get; }
    public Option<string> Protocols { get; }
    public Option<string> Warmup { get; }
    public Option<string?> Duration { get; }
    public Option<long?> Requests { get; }
    public Option<double?> Rate { get; }
    public Option<string> Timeout { get; }
    public Option<string> Output { get; }
    public Option<int> CorpusSize { get; }
    public Option<int> Seed { get; }
    public Option<bool> Plain { get; }
    public Option<string?> TritonUrl { get; }
    public Option<string?> TritonGrpcUrl { get; }
    public Option<string?> TritonBatchingUrl { get; }
    public Option<string?> TritonBatchingGrpcUrl { get; }
    public Option<string?> GatewayUrl { get; }
    public Option<string?> GatewayBatchingUrl { get; }
    public Option<string?> DeidUrl { get; }
    public Option<string?> TokenizerUrl { get; }
    public Option<string?> Token { get; }
    public Option<string?> SigningKey { get; }
    public Option<string> Issuer { get; }
    public Option<string> Audience { get; }
    public Option<bool> StartSystem { get; }
    public Option<string?> ModelRepository { get; }
    public Option<string?> Preset { get; }
    public Option<string> Configuration { get; }
    public Option<string?> RepositoryRoot { get; }
    public Option<int[]> Pids { get; }
    public Option<double> MaxGrowth { get; }
    public Option<int?> Clients { get; }

    public IEnumerable<Option> All =>
    [
        Scenarios, Users, Protocols, Warmup, Duration, Requests, Rate, Timeout, Output, CorpusSize, Seed, Plain,
        TritonUrl, TritonGrpcUrl, TritonBatchingUrl, TritonBatchingGrpcUrl, GatewayUrl, GatewayBatchingUrl, DeidUrl, TokenizerUrl,
        Token, SigningKey, Issuer, Audience, StartSystem, ModelRepository, Preset, Configuration, RepositoryRoot, Pids, MaxGrowth,
        Clients,
    ];

    /// <summary>Validates the parsed values; every error names the option it is about.</summary>
    public LoadSettings? Bind(ParseResult result, List<string> errors)
    {
        var scenarios = Split(result.GetValue(Scenarios)).Select(s => s.ToLowerInvariant()).Distinct().ToList();
        foreach (var unknown in scenarios.Where(s => !ScenarioCatalog.KnownIds.Contains(s)))
        {
            errors.Add($"--scenarios: unknown scenario '{unknown}' (known: {string.Join(", ", ScenarioCatalog.KnownIds)}).");
        }

        var users = new List<int>();
        foreach (var text in Split(result.GetValue(Users)))
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 10_000)
            {
                users.Add(value);
            }
            else
            {
                errors.Add($"--users: '{text}' is not a number of users between 1 and 10000.");
            }
        }

        var protocols = new List<TransportProtocol>();
        foreach (var text in Split(result.GetValue(Protocols)))
        {
            if (Enum.TryParse<TransportProtocol>(text, ignoreCase: true, out var protocol) && Enum.IsDefined(protocol) && protocol != TransportProtocol.InProcess)
            {
                protocols.Add(protocol);
            }
            else
            {
                errors.Add($"--protocols: '{text}' is not one of http1, http2, grpc.");
            }
        }

        var warmup = ParseDuration(result.GetValue(Warmup), "--warmup", errors) ?? TimeSpan.Zero;
        var timeout = ParseDuration(result.GetValue(Timeout), "--timeout", errors) ?? TimeSpan.FromSeconds(30);
        var requests = result.GetValue(Requests);
        TimeSpan? duration = result.GetValue(Duration) is { } durationText ? ParseDuration(durationText, "--duration", errors) : null;
        if (requests is not null && duration is not null)
        {
            errors.Add("--duration and --requests: give one or the other.");
        }
        else if (requests is null && duration is null)
        {
            duration = TimeSpan.FromSeconds(_soak ? 60 : 20);
        }

        if (requests <= 0)
        {
            errors.Add("--requests: must be positive.");
        }

        if (duration <= TimeSpan.Zero)
        {
            errors.Add("--duration: must be positive.");
        }

        TimeSpan? pacing = null;
        if (result.GetValue(Rate) is { } rate)
        {
            if (rate is > 0 and <= 1_000_000)
            {
                pacing = TimeSpan.FromSeconds(1 / rate);
            }
            else
            {
                errors.Add("--rate-per-user: must be a positive number of requests per second.");
            }
        }

        if (result.GetValue(CorpusSize) is < 1 or > 100_000)
        {
            errors.Add("--corpus-size: must be between 1 and 100000.");
        }

        if (result.GetValue(MaxGrowth) is < 0 or > 10)
        {
            errors.Add("--max-memory-growth: must be a fraction between 0 and 10.");
        }

        var signingKey = result.GetValue(SigningKey);
        if (signingKey is not null && !IsBase64Key(signingKey))
        {
            errors.Add("--jwt-signing-key: must be base64 of at least 32 bytes.");
        }

        var startSystem = result.GetValue(StartSystem);
        var clients = result.GetValue(Clients) ?? DefaultClients(users);
        if (clients is < 1 or > 10_000)
        {
            errors.Add("--clients: must be between 1 and 10000.");
        }
        else if (clients > 1 && result.GetValue(Token) is not null && !startSystem)
        {
            errors.Add("--clients: a single --token is one client; give --jwt-signing-key (or --start-system) to mint one token per client.");
        }

        var modelRepository = result.GetValue(ModelRepository);
        var preset = HealthAI.ModelBuilder.ModelPreset.DistilBertBase;
        if (result.GetValue(Preset) is { } presetName && !HealthAI.ModelBuilder.DistilBert.DistilBertConfig.TryParse(presetName, out preset))
        {
            errors.Add($"--model-preset: '{presetName}' is not distilbert-base or tiny.");
        }

        var urls = new TargetUrls(
            Url(result, TritonUrl, errors), Url(result, TritonGrpcUrl, errors), Url(result, TritonBatchingUrl, errors),
            Url(result, TritonBatchingGrpcUrl, errors), Url(result, GatewayUrl, errors), Url(result, GatewayBatchingUrl, errors),
            Url(result, DeidUrl, errors), Url(result, TokenizerUrl, errors));

        if (errors.Count > 0)
        {
            return null;
        }

        return new LoadSettings
        {
            Scenarios = scenarios,
            Users = users,
            Protocols = protocols,
            Phase = new LoadPhase(warmup, duration, requests, pacing),
            Timeout = timeout,
            Urls = urls,
            Token = new TokenSettings(result.GetValue(Token), signingKey, result.GetValue(Issuer)!, result.GetValue(Audience)!),
            StartSystem = startSystem,
            ModelRepository = modelRepository,
            ModelPreset = preset,
            BuildConfiguration = result.GetValue(Configuration)!,
            RepositoryRoot = result.GetValue(RepositoryRoot),
            OutputDirectory = result.GetValue(Output)!,
            CorpusSize = result.GetValue(CorpusSize),
            Seed = result.GetValue(Seed),
            PlainOutput = result.GetValue(Plain),
            WatchPids = result.GetValue(Pids) ?? [],
            MaxMemoryGrowth = result.GetValue(MaxGrowth),
            Clients = clients,
        };
    }

    /// <summary><c>load</c> measures capacity as one client; a soak behaves like a fleet of applications, one per 10 users.</summary>
    private int DefaultClients(List<int> users) => _soak && users.Count > 0 ? Math.Max(1, (users.Max() + 9) / 10) : 1;

    private static Option<string?> UrlOption(string name, string description) => new(name) { Description = description };

    private static Uri? Url(ParseResult result, Option<string?> option, List<string> errors)
    {
        var text = result.GetValue(option);
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        errors.Add($"{option.Name}: '{text}' is not an absolute http(s) URL.");
        return null;
    }

    private static TimeSpan? ParseDuration(string? text, string name, List<string> errors)
    {
        if (DurationParser.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add($"{name}: '{text}' is not a duration (e.g. 500ms, 30s, 10m).");
        return null;
    }

    private static bool IsBase64Key(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written >= 32;
    }

    private static string[] Split(string? text) =>
        (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
