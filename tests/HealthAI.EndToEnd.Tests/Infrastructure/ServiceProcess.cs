using System.Collections.Concurrent;
using System.Diagnostics;

namespace HealthAI.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One HealthAI service running as a real child process (`dotnet &lt;dll&gt;`), its stdout and stderr kept line by line so tests
/// can scan everything it ever printed.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ProcessStartInfo _startInfo;
    private Process? _process;

    public ServiceProcess(string name, string dllPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        _startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dllPath)!,
        };
        _startInfo.ArgumentList.Add(dllPath);
        foreach (var argument in arguments)
        {
            _startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            _startInfo.Environment[key] = value;
        }

        // Children must not inherit a test runner's own telemetry or URL settings.
        _startInfo.Environment.Remove("ASPNETCORE_HOSTINGSTARTUPASSEMBLIES");
        _startInfo.Environment["DOTNET_NOLOGO"] = "1";
    }

    public string Name { get; }

    /// <summary>Every line printed so far, both streams.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public bool HasExited => _process is null || _process.HasExited;

    public int? ProcessId => _process?.Id;

    public event Action<string>? LineReceived;

    public void Start()
    {
        var process = new Process { StartInfo = _startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{Name} did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        LineReceived?.Invoke(line);
    }

    /// <summary>Waits until a printed line satisfies <paramref name="predicate"/>; fails with the output tail if the process dies.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string line)
        {
            if (predicate(line))
            {
                found.TrySetResult(line);
            }
        }

        LineReceived += OnLine;
        try
        {
            foreach (var line in _output)
            {
                OnLine(line);
            }

            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            while (!found.Task.IsCompleted)
            {
                if (HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited before it was ready:\n{Tail()}");
                }

                await Task.WhenAny(found.Task, Task.Delay(100, timeoutSource.Token)).ConfigureAwait(false);
                if (timeoutSource.IsCancellationRequested && !found.Task.IsCompleted)
                {
                    throw new TimeoutException($"{Name} printed no matching line within {timeout}:\n{Tail()}");
                }
            }

            return await found.Task.ConfigureAwait(false);
        }
        finally
        {
            LineReceived -= OnLine;
        }
    }

    public string Tail(int lines = 40) => string.Join('\n', _output.TakeLast(lines));

    /// <summary>SIGKILL: the process gets no chance to answer anything in flight.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, then waits for a graceful exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } process)
        {
            return _process?.ExitCode ?? 0;
        }

        Signals.Terminate(process.Id);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return process.ExitCode;
    }

    /// <summary>Stops the process (SIGTERM, then SIGKILL) and releases it; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _process, null) is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    Signals.Terminate(process.Id);
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    try
                    {
                        await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        process.Kill(entireProcessTree: true);
                    }
                }
            }
            finally
            {
                process.Dispose();
            }
        }
    }
}
