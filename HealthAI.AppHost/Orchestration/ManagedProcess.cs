using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HealthAI.AppHost.Orchestration;

/// <summary>One child process with its output forwarded line by line.</summary>
internal sealed partial class ManagedProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;

    private ManagedProcess(Process process) => _process = process;

    public int ProcessId { get; private init; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ManagedProcess Start(ProcessSpec spec, IResourceOutput output)
    {
        var startInfo = new ProcessStartInfo(spec.FileName)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The AppHost's own URLs and discovery settings must not leak into a child; the spec sets the child's.
        foreach (var inherited in startInfo.Environment.Keys.Where(k =>
                     k.StartsWith("services__", StringComparison.Ordinal) || k is "ASPNETCORE_URLS" or "HTTP_PORTS" or "ASPNETCORE_HTTP_PORTS").ToArray())
        {
            startInfo.Environment.Remove(inherited);
        }

        foreach (var (name, value) in spec.Environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Forward(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, isError: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ManagedProcess(process) { ProcessId = process.Id };

        void Forward(string? line, bool isError)
        {
            if (line is not null)
            {
                output.WriteLine(spec.Name, line, isError);
            }
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGTERM (graceful: ASP.NET Core drains), then a kill of the whole tree if it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows() || Kill(_process.Id, SigTerm) != 0)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeoutSource = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public void Dispose() => _process.Dispose();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
