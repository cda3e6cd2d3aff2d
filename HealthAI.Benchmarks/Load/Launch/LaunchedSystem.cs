using HealthAI.Benchmarks.Load.Cli;

namespace HealthAI.Benchmarks.Load.Launch;

/// <summary>The processes <see cref="SystemLauncher"/> started, where they answer, and the token material the gateways trust.</summary>
public sealed class LaunchedSystem(DirectoryInfo workDirectory, string signingKeyBase64, string issuer, string audience) : IAsyncDisposable
{
    private readonly List<ServiceProcess> _processes = [];

    public string SigningKeyBase64 { get; } = signingKeyBase64;

    /// <summary>A folder for this run's derived model repositories and audit files; deleted on dispose.</summary>
    public string WorkDirectory => workDirectory.FullName;

    public string Issuer { get; } = issuer;

    public string Audience { get; } = audience;

    public TargetUrls Urls { get; set; } = new();

    public IReadOnlyList<int> ProcessIds => _processes.Select(p => p.Id).ToList();

    public ServiceProcess Add(ServiceProcess process)
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>The settings with this system's addresses and token key in place of the command line's.</summary>
    public LoadSettings Apply(LoadSettings settings) => settings with
    {
        Urls = Urls,
        Token = new TokenSettings(null, SigningKeyBase64, Issuer, Audience),
    };

    public async ValueTask DisposeAsync()
    {
        // Stop front to back so no service sees its dependency vanish under load.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }

        try
        {
            workDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
