using System.Diagnostics;
using System.Security.Cryptography;

namespace HealthAI.AppHost.Tests;

/// <summary>kubectl (for `kubectl kustomize`) and the npm validator (kubernetes-models, installed from the committed lockfile).</summary>
internal static class KubernetesTooling
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string K8sDirectory => Path.Combine(TestPaths.RepositoryRoot, "deploy", "k8s");

    public static bool HasCommand(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, name)));

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, IEnumerable<string> args, string? stdin, string workingDirectory, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>`npm ci` of the validator into ~/.cache/healthai/k8s-validation/&lt;lockfile hash&gt; (once), returning that folder.</summary>
    public static async Task<string> EnsureValidatorAsync(CancellationToken cancellationToken)
    {
        var source = Path.Combine(TestPaths.RepositoryRoot, "tests", "HealthAI.AppHost.Tests", "KubernetesValidation");
        var lockFile = Path.Combine(source, "package-lock.json");
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(lockFile)))[..16];
        var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "healthai", "k8s-validation", hash);
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            foreach (var file in new[] { "package.json", "package-lock.json", "validate.mjs" })
            {
                Directory.CreateDirectory(cache);
                File.Copy(Path.Combine(source, file), Path.Combine(cache, file), overwrite: true);
            }

            if (!File.Exists(Path.Combine(cache, "node_modules", ".package-lock.json")))
            {
                var (exitCode, output, error) = await RunAsync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], null, cache, cancellationToken);
                Assert.True(exitCode == 0, $"npm ci failed: {output}{error}");
            }

            return cache;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>The objects `kubectl apply -k` would send: `kubectl kustomize` output for a folder.</summary>
    public static async Task<string> KustomizeAsync(string directory, CancellationToken cancellationToken)
    {
        var (exitCode, output, error) = await RunAsync("kubectl", ["kustomize", directory], null, directory, cancellationToken);
        Assert.True(exitCode == 0, $"kubectl kustomize {directory} failed: {error}");
        return output;
    }
}
