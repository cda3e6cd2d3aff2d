using Microsoft.Extensions.Logging;

namespace HealthAI.AppHost;

/// <summary>AppHost log messages (event ids 9000-9099). Resource names and exit codes only: children's lines are forwarded, not logged.</summary>
internal static partial class Log
{
    [LoggerMessage(9000, LogLevel.Information, "Started {Resource} (pid {ProcessId})")]
    public static partial void ResourceStarted(ILogger logger, string resource, int processId);

    [LoggerMessage(9001, LogLevel.Information, "{Resource} is healthy")]
    public static partial void ResourceHealthy(ILogger logger, string resource);

    [LoggerMessage(9002, LogLevel.Error, "{Resource} exited with code {ExitCode} before it became healthy")]
    public static partial void ResourceExitedBeforeHealthy(ILogger logger, string resource, int exitCode);

    [LoggerMessage(9003, LogLevel.Error, "{Resource} did not become healthy within {Seconds} s")]
    public static partial void ResourceHealthTimeout(ILogger logger, string resource, double seconds);

    [LoggerMessage(9004, LogLevel.Warning, "{Resource} crashed with exit code {ExitCode}; restarting in {DelaySeconds} s")]
    public static partial void ResourceCrashed(ILogger logger, string resource, int exitCode, double delaySeconds);

    [LoggerMessage(9005, LogLevel.Information, "Generating {Description}: {Path} is missing")]
    public static partial void GeneratingPrerequisite(ILogger logger, string description, string path);

    [LoggerMessage(9006, LogLevel.Information, "Stopping every resource")]
    public static partial void Stopping(ILogger logger);
}
