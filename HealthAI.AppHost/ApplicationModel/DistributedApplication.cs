using HealthAI.AppHost.DevelopmentSecrets;
using HealthAI.AppHost.Orchestration;
using HealthAI.AppHost.Publishing;
using HealthAI.AppHost.Publishing.Kubernetes;

namespace HealthAI.AppHost.ApplicationModel;

/// <summary>
/// The built application. Commands: (none) runs everything locally; `publish --publisher manifest|kubernetes --output-path P`;
/// `token [--scope s]... [--lifetime-hours h]`. Run options: `--triton process|container`, `--dynamic-ports`.
/// </summary>
public sealed class DistributedApplication(DistributedApplicationModel model, IReadOnlyList<string> args)
{
    public DistributedApplicationModel Model { get; } = model;

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    public void Run() => Environment.ExitCode = RunAsync(CancellationToken.None).GetAwaiter().GetResult();

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var command = CommandLine.Parse(args);
        if (command.Error is { } error)
        {
            await Console.Error.WriteLineAsync($"error: {error}\n{CommandLine.Usage}");
            return 2;
        }

        var environment = AppHostEnvironment.Discover();
        try
        {
            switch (command.Verb)
            {
                case "publish":
                    var output = Path.GetFullPath(command.OutputPath!);
                    if (command.Publisher == "manifest")
                    {
                        Console.WriteLine($"Wrote {ManifestPublisher.Publish(Model, output, environment.RepositoryRoot)}");
                    }
                    else
                    {
                        Console.WriteLine($"Wrote {KubernetesPublisher.Publish(Model, output).Count} files to {output}");
                    }

                    return 0;
                case "token":
                    var settings = LocalRun.JwtSettingsFrom(LocalRun.ResolveParameters(Model, environment));
                    Console.WriteLine(new DevelopmentTokenIssuer(settings, TimeProvider.System).Issue(command.Scopes, command.TokenLifetime));
                    return 0;
                default:
                    return await new LocalRun(Model, environment, command).RunAsync(cancellationToken);
            }
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }
}

/// <summary>Where the repository and the built services are (baked in at build time, so any working directory works).</summary>
public sealed record AppHostEnvironment(string RepositoryRoot, string Configuration, string TargetFramework)
{
    public string StateDirectory => Path.Combine(RepositoryRoot, ".healthai");

    public static AppHostEnvironment Discover()
    {
        var metadata = typeof(AppHostEnvironment).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value ?? "");
        // HEALTHAI_REPOSITORY_ROOT points the AppHost at another checkout (or a test's stand-in tree with the same layout).
        var root = Environment.GetEnvironmentVariable("HEALTHAI_REPOSITORY_ROOT") is { Length: > 0 } overridden
            ? overridden
            : metadata.GetValueOrDefault("HealthAI.RepositoryRoot") is { Length: > 0 } baked && Directory.Exists(baked)
                ? baked
                : FindRepositoryRoot(Directory.GetCurrentDirectory());
        return new(Path.GetFullPath(root), metadata.GetValueOrDefault("HealthAI.Configuration") ?? "Debug",
            metadata.GetValueOrDefault("HealthAI.TargetFramework") ?? "net10.0");
    }

    public string ProjectAssemblyPath(IProjectMetadata project) =>
        Path.Combine(RepositoryRoot, Path.GetDirectoryName(project.ProjectPath)!, "bin", Configuration, TargetFramework, project.AssemblyName + ".dll");

    private static string FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HealthAI.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No HealthAI.sln above '{start}': run the AppHost from the repository.");
    }
}
