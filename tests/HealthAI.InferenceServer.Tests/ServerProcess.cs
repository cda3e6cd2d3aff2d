using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HealthAI.InferenceServer.Tests;

/// <summary>The real executable as a child process: started, its addresses read from its one stdout line, stopped by signal.</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private ServerProcess(Process process, Uri http, Uri metrics)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
        Http = http;
        Metrics = metrics;
    }

    public Uri Http { get; }

    public Uri Metrics { get; }

    public bool HasExited => _process.HasExited;

    [GeneratedRegex(@"^HealthAI\.InferenceServer listening http=(http://127\.0\.0\.1:\d+) grpc=(http://127\.0\.0\.1:\d+) metrics=(http://127\.0\.0\.1:\d+)$")]
    private static partial Regex ListeningLine();

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "HealthAI.InferenceServer.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
            var match = ListeningLine().Match(line ?? "");
            if (!match.Success)
            {
                throw new InvalidOperationException($"unexpected stdout line: {line}");
            }

            return new ServerProcess(process, new Uri(match.Groups[1].Value), new Uri(match.Groups[3].Value));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Sends SIGTERM through kill(1), as an orchestrator stopping a pod would.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to end and returns its exit code and everything it wrote to stderr.</summary>
    public async Task<(int ExitCode, string Stderr)> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return (_process.ExitCode, await _stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
