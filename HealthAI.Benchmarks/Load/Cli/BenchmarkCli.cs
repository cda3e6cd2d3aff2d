using System.CommandLine;
using HealthAI.Benchmarks.Load.Corpus;
using HealthAI.Benchmarks.Load.Launch;
using HealthAI.Benchmarks.Load.Progress;
using HealthAI.Benchmarks.Load.Recording;
using HealthAI.Benchmarks.Load.Soak;
using HealthAI.Benchmarks.Load.Targets;
using HealthAI.Benchmarks.Reporting;

namespace HealthAI.Benchmarks.Load.Cli;

/// <summary>
/// The <c>load</c> and <c>soak</c> commands. Everything else on the command line belongs to BenchmarkDotNet's switcher, so
/// micro-benchmarks keep running with <c>--filter</c> as usual.
/// </summary>
public static class BenchmarkCli
{
    public const string LoadCommandName = "load";
    public const string SoakCommandName = "soak";

    /// <summary>True when <paramref name="args"/> name one of this tool's commands rather than BenchmarkDotNet's.</summary>
    public static bool Handles(IReadOnlyList<string> args) =>
        args.Count > 0 && args[0] is LoadCommandName or SoakCommandName or Gateway.BareForwarder.CommandName or Gateway.EventLoopForwarder.CommandName;

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) =>
        BuildRoot().Parse(args).InvokeAsync(cancellationToken: cancellationToken);

    /// <summary>Parses and validates a command line without running anything (used by tests and by the commands themselves).</summary>
    public static LoadSettings? TryParse(string[] args, out IReadOnlyList<string> errors)
    {
        var soak = args.Length > 0 && args[0] == SoakCommandName;
        var options = new LoadOptions(soak);
        var command = CreateCommand(soak ? SoakCommandName : LoadCommandName, options);
        var root = new RootCommand { command };
        var result = root.Parse(args);
        var list = result.Errors.Select(e => e.Message).ToList();
        var settings = list.Count == 0 ? options.Bind(result, list) : null;
        errors = list;
        return list.Count == 0 ? settings : null;
    }

    private static RootCommand BuildRoot()
    {
        var root = new RootCommand("HealthAI load generator and soak test. Other arguments go to BenchmarkDotNet.");
        var load = new LoadOptions(soak: false);
        var loadCommand = CreateCommand(LoadCommandName, load);
        loadCommand.SetAction((result, token) => RunLoadAsync(load, result, token));
        var soak = new LoadOptions(soak: true);
        var soakCommand = CreateCommand(SoakCommandName, soak);
        soakCommand.SetAction((result, token) => RunSoakAsync(soak, result, token));
        root.Subcommands.Add(loadCommand);
        root.Subcommands.Add(soakCommand);
        root.Subcommands.Add(CreateForwarderCommand(
            Gateway.BareForwarder.CommandName, "A minimal ASP.NET Core reverse proxy, the forwarding benchmark's .NET floor.", Gateway.BareForwarder.RunAsync));
        root.Subcommands.Add(CreateForwarderCommand(
            Gateway.EventLoopForwarder.CommandName, "A one-thread epoll reverse proxy in C#, the forwarding benchmark's transport floor.", Gateway.EventLoopForwarder.RunAsync));
        return root;
    }

    // Hidden: the forwarding benchmark starts these as processes (the floors it measures nginx and the gateway against).
    private static Command CreateForwarderCommand(string name, string description, Func<Uri, Uri, CancellationToken, Task<int>> run)
    {
        var listen = new Option<string>("--listen") { Description = "Address to listen on, e.g. http://127.0.0.1:5000.", Required = true };
        var backend = new Option<string>("--backend") { Description = "Address every request is forwarded to.", Required = true };
        var command = new Command(name, description) { Hidden = true };
        command.Options.Add(listen);
        command.Options.Add(backend);
        command.SetAction((result, token) =>
            HttpUrl(result.GetValue(listen), "--listen") is { } listenUrl && HttpUrl(result.GetValue(backend), "--backend") is { } backendUrl
                ? run(listenUrl, backendUrl, token)
                : Task.FromResult(2));
        return command;
    }

    private static Command CreateCommand(string name, LoadOptions options)
    {
        var command = new Command(name, name == LoadCommandName
            ? "Reproduce the study's Table I: closed-loop users against the scenarios, then JSON, Markdown and SVG results."
            : "Concurrency 100 for a while: no request may be lost and target memory may grow at most --max-memory-growth.");
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        return command;
    }

    private static async Task<int> RunLoadAsync(LoadOptions options, ParseResult result, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (options.Bind(result, errors) is not { } settings)
        {
            return Fail(errors);
        }

        var display = IRunDisplay.ForConsole(settings.PlainOutput);
        settings = await EnsureModelRepositoryAsync(settings, display, cancellationToken);
        await using var system = settings.StartSystem ? await SystemLauncher.StartAsync(settings, display, liftRateLimits: true, cancellationToken) : null;
        settings = system?.Apply(settings) ?? settings;
        var corpus = ClinicalTextCorpus.Create(settings.CorpusSize, settings.Seed);
        var plans = ScenarioCatalog.Plan(settings, corpus, BearerTokens(settings));
        var scenarios = await new LoadSession(new LoadRunner(LoadClock.System), display).RunAsync(plans, settings, cancellationToken);
        var report = new BenchmarkReport(
            DateTimeOffset.UtcNow, MachineInfo.Current(), string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), ToRunSettings(settings), scenarios);
        foreach (var path in await ReportFiles.WriteAsync(report, settings.OutputDirectory, cancellationToken))
        {
            display.Line("wrote " + path);
        }

        return 0;
    }

    private static async Task<int> RunSoakAsync(LoadOptions options, ParseResult result, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (options.Bind(result, errors) is not { } settings)
        {
            return Fail(errors);
        }

        var display = IRunDisplay.ForConsole(settings.PlainOutput);
        settings = await EnsureModelRepositoryAsync(settings, display, cancellationToken);
        await using var system = settings.StartSystem ? await SystemLauncher.StartAsync(settings, display, liftRateLimits: false, cancellationToken) : null;
        settings = system?.Apply(settings) ?? settings;
        var pids = system?.ProcessIds ?? settings.WatchPids;
        var corpus = ClinicalTextCorpus.Create(settings.CorpusSize, settings.Seed);
        var plans = ScenarioCatalog.Plan(settings, corpus, BearerTokens(settings));
        var plan = plans.Count > 0 ? plans[0] : null;
        if (plan?.CreateTarget is null)
        {
            return Fail([$"soak: scenario '{string.Join(',', settings.Scenarios)}' cannot run: {plan?.SkippedReason ?? "nothing planned"}."]);
        }

        var soak = await new SoakRunner(new LoadRunner(LoadClock.System), new ProcessMemory()).RunAsync(plan, settings, pids, display, cancellationToken);
        Directory.CreateDirectory(settings.OutputDirectory);
        var path = Path.Combine(settings.OutputDirectory, "soak.json");
        await File.WriteAllTextAsync(path, System.Text.Json.JsonSerializer.Serialize(soak, JsonReportWriter.Options), cancellationToken);
        display.Line(soak.Summary);
        display.Line("wrote " + path);
        return soak.Passed ? 0 : 1;
    }

    /// <summary>Generates the bundled model under --out when a scenario needs a model repository and none was given.</summary>
    private static async Task<LoadSettings> EnsureModelRepositoryAsync(LoadSettings settings, IRunDisplay display, CancellationToken cancellationToken)
    {
        if (settings.ModelRepository is not null || !(settings.StartSystem || settings.Scenarios.Contains("o")))
        {
            return settings;
        }

        var root = Path.GetFullPath(Path.Combine(settings.OutputDirectory, "model-repository"));
        display.Line($"generating the bundled model ({HealthAI.ModelBuilder.DistilBert.DistilBertConfig.NameOf(settings.ModelPreset)}) under {root}");
        await HealthAI.ModelBuilder.BundledModel.EnsureAsync(root, settings.ModelPreset, cancellationToken);
        return settings with
        {
            ModelRepository = root,
            GeneratedModelPreset = HealthAI.ModelBuilder.DistilBert.DistilBertConfig.NameOf(settings.ModelPreset),
            MaxSequenceLength = Math.Min(settings.MaxSequenceLength, HealthAI.ModelBuilder.DistilBert.DistilBertConfig.For(settings.ModelPreset).MaxPositions),
        };
    }

    /// <summary>The given token, or one minted token per client; null when the gateway scenarios cannot authenticate.</summary>
    private static IReadOnlyList<string>? BearerTokens(LoadSettings settings) =>
        settings.Token.Token is { } token ? [token]
        : settings.Token.SigningKeyBase64 is { } key
            ? DevJwt.CreateForClients(settings.Clients, Convert.FromBase64String(key), settings.Token.Issuer, settings.Token.Audience, DevJwt.AnalyzeScope, TimeSpan.FromHours(2), TimeProvider.System)
            : null;

    private static RunSettings ToRunSettings(LoadSettings settings) => new(
        settings.Phase.Warmup.TotalSeconds,
        settings.Phase.Duration?.TotalSeconds,
        settings.Phase.Requests,
        settings.Phase.PacingInterval is { } interval ? Math.Round(1 / interval.TotalSeconds, 3) : null,
        settings.Timeout.TotalSeconds,
        settings.CorpusSize,
        settings.Seed,
        settings.ModelRepository,
        settings.GeneratedModelPreset);

    private static Uri? HttpUrl(string? value, string option)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp)
        {
            return uri;
        }

        Fail([$"{option}: '{value}' is no absolute http:// URL."]);
        return null;
    }

    private static int Fail(IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            Console.Error.WriteLine(error);
        }

        return 2;
    }
}
