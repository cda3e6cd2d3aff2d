using System.Diagnostics;
using System.Globalization;

namespace HealthAI.Benchmarks.Load.Launch;

/// <summary>
/// One HealthAI service started as a real child process (<c>dotnet &lt;dll&gt;</c>) with its own environment. Both output streams
/// are drained line by line (a full pipe would block the service) and kept: every line, or only the last
/// <see cref="KeptLines"/> where the output is wanted for a failure message alone. Stopping sends SIGTERM, as an orchestrator
/// would, and SIGKILLs the process tree after <see cref="StopGrace"/>.
/// </summary>
/// <remarks>
/// The single launcher of the load generator's <c>--start-system</c> and of the end-to-end tests, which link this file.
/// </remarks>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ProcessStartInfo _startInfo;
    private readonly Queue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private Process? _process;

    public ServiceProcess(string name, string dllPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        _startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The child never reads the parent's console (a terminal the load generator draws on, or a test runner's).
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

        // Children must not inherit a test runner's hosting start-up assemblies.
        _startInfo.Environment.Remove("ASPNETCORE_HOSTINGSTARTUPASSEMBLIES");
        _startInfo.Environment["DOTNET_NOLOGO"] = "1";
    }

    public string Name { get; }

    /// <summary>How many of the last lines are kept; null keeps every line (tests scan all of them for PHI).</summary>
    public int? KeptLines { get; init; }

    /// <summary>How long stopping waits after SIGTERM before SIGKILL; zero kills at once.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The kept lines printed so far, both streams, oldest first (a snapshot).</summary>
    public IReadOnlyCollection<string> Output
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public bool HasExited => _process is null || _process.HasExited;

    public int Id => _process?.Id ?? throw new InvalidOperationException($"{Name} is not running.");

    /// <summary>Raised for every line as it is read, on a thread-pool thread.</summary>
    public event Action<string>? LineReceived;

    public void Start()
    {
        var process = new Process { StartInfo = _startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => FailWaiters();
        if (!process.Start())
        {
            throw new InvalidOperationException($"{Name} did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Waits until a printed line satisfies <paramref name="match"/>; fails with the output tail if the process exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = (match, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lines)
        {
            var seen = _lines.FirstOrDefault(match);
            if (seen is not null)
            {
                return seen;
            }

            _waiters.Add(waiter);
        }

        if (HasExited)
        {
            FailWaiters();
        }

        try
        {
            return await waiter.Item2.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} printed no matching line within {timeout}:{Environment.NewLine}{Tail()}");
        }
        finally
        {
            lock (_lines)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The last lines printed, for a failure message.</summary>
    public string Tail(int lines = 40)
    {
        lock (_lines)
        {
            return string.Join(Environment.NewLine, _lines.TakeLast(lines));
        }
    }

    /// <summary>SIGKILL: the process gets no chance to answer anything in flight.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, then waits up to <paramref name="timeout"/> for a graceful exit (SIGKILL after it); the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } process)
        {
            return _process?.ExitCode ?? 0;
        }

        await StopAsync(process, timeout).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Stops the process (SIGTERM, then SIGKILL after <see cref="StopGrace"/>) and releases it; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _process, null) is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    await StopAsync(process, StopGrace).ConfigureAwait(false);
                }
            }
            finally
            {
                process.Dispose();
            }
        }
    }

    private static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (grace > TimeSpan.Zero)
        {
            SendTerminate(process.Id);
            using var graceOver = new CancellationTokenSource(grace);
            try
            {
                await process.WaitForExitAsync(graceOver.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // It did not stop in time: kill it below.
            }
        }

        process.Kill(entireProcessTree: true);
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // SIGKILL was sent; nothing more can be done here.
        }
    }

    /// <summary>SIGTERM through the system's kill(1), as an orchestrator would send it.</summary>
    private static void SendTerminate(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        kill.WaitForExit();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }

            foreach (var (match, found) in _waiters)
            {
                if (match(line))
                {
                    found.TrySetResult(line);
                }
            }
        }

        LineReceived?.Invoke(line);
    }

    private void FailWaiters()
    {
        lock (_lines)
        {
            foreach (var (_, found) in _waiters)
            {
                found.TrySetException(new InvalidOperationException($"{Name} exited before it was ready:{Environment.NewLine}{string.Join(Environment.NewLine, _lines.TakeLast(40))}"));
            }
        }
    }
}
