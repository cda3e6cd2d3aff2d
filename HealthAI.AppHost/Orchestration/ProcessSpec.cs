namespace HealthAI.AppHost.Orchestration;

/// <summary>How to start one resource as a local process and how to know it is ready.</summary>
public sealed record ProcessSpec(
    string Name,
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    Uri? HealthUrl,
    IReadOnlyList<string> DependsOn);

/// <summary>Timings of the supervisor; tests shorten them.</summary>
public sealed record SupervisorOptions
{
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public TimeSpan HealthPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan InitialRestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A process healthy this long after a restart is considered stable: the backoff starts again from the initial delay.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

public enum ResourceState
{
    Pending,
    Starting,
    Running,
    Crashed,
    Stopping,
    Stopped,
    Failed,
}

/// <summary>Where the children's output goes (the console, prefixed and coloured; a list in tests).</summary>
public interface IResourceOutput
{
    void WriteLine(string resource, string line, bool isError);
}
