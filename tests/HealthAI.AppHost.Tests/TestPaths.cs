using System.Diagnostics;
using System.Reflection;

namespace HealthAI.AppHost.Tests;

internal static class TestPaths
{
    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string FakeResource => Path.GetFullPath(Metadata("FakeResourcePath"));

    public static string AppHostDll => Path.Combine(AppContext.BaseDirectory, "HealthAI.AppHost.dll");

    /// <summary>The aspire-8.0 schema the lead keeps beside the repository (../shared/schemas), or HEALTHAI_ASPIRE_SCHEMA.</summary>
    public static string AspireSchema =>
        Environment.GetEnvironmentVariable("HEALTHAI_ASPIRE_SCHEMA")
        ?? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "schemas", "aspire-8.0.json"));

    /// <summary>This test run's folder under the temporary folder; <see cref="TemporaryFolderCleanup"/> deletes it after the run.</summary>
    public static string RunDirectory { get; } = Path.Combine(Path.GetTempPath(), "healthai-apphost-tests", Guid.NewGuid().ToString("N"));

    public static string NewTempDirectory()
    {
        var path = Path.Combine(RunDirectory, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Runs the built AppHost with arguments and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAppHostAsync(CancellationToken cancellationToken, params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        startInfo.ArgumentList.Add(AppHostDll);
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
