using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HealthAI.AppHost.Orchestration;

/// <summary>
/// Starts resources as child processes in dependency order, each only after everything it depends on answers its health URL;
/// restarts a crashed one with exponential backoff; on stop sends SIGTERM in reverse order and kills what does not exit in time.
/// </summary>
public sealed partial class ProcessSupervisor : IAsyncDisposable
{
    private readonly IReadOnlyList<ProcessSpec> _specs;
    private readonly SupervisorOptions _options;
    private readonly ILogger _logger;
    private readonly IResourceOutput _output;
    private readonly TimeProvider _timeProvider;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly ConcurrentDictionary<string, ManagedProcess> _processes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ResourceState> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _restarts = new(StringComparer.Ordinal);
    private readonly List<Task> _monitors = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _stopped;

    public ProcessSupervisor(IReadOnlyList<ProcessSpec> specs, SupervisorOptions options, ILogger logger, IResourceOutput output, TimeProvider timeProvider)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (spec.DependsOn.FirstOrDefault(d => !known.Contains(d)) is { } missing)
            {
                throw new ArgumentException($"Resource '{spec.Name}' depends on '{missing}', which is not started before it.", nameof(specs));
            }

            known.Add(spec.Name);
            _states[spec.Name] = ResourceState.Pending;
        }

        (_specs, _options, _logger, _output, _timeProvider) = (specs, options, logger, output, timeProvider);
    }

    public event Action<string, ResourceState>? StateChanged;

    public IReadOnlyList<ProcessSpec> Specs => _specs;

    public ResourceState GetState(string name) => _states[name];

    public int GetRestartCount(string name) => _restarts.GetValueOrDefault(name);

    public int? GetProcessId(string name) => _processes.TryGetValue(name, out var process) ? process.ProcessId : null;

    /// <summary>Every process id this supervisor has started, restarts included (what "no orphans" is checked against).</summary>
    public ConcurrentBag<int> StartedProcessIds { get; } = [];

    /// <summary>Starts everything in order; throws (naming the resource) if one cannot become healthy.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        foreach (var spec in _specs)
        {
            if (!await StartAndWaitHealthyAsync(spec, linked.Token))
            {
                SetState(spec.Name, ResourceState.Failed);
                throw new InvalidOperationException($"Resource '{spec.Name}' did not become healthy; see its log lines above.");
            }

            _monitors.Add(MonitorAsync(spec));
        }
    }

    /// <summary>Marks the supervisor as stopping (from a signal handler): exits from now on are not crashes to restart.</summary>
    public void BeginStop()
    {
        if (Volatile.Read(ref _stopped) == 0)
        {
            _stopping.Cancel();
        }
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var spec in _specs.Reverse())
        {
            if (_processes.TryGetValue(spec.Name, out var process))
            {
                SetState(spec.Name, ResourceState.Stopping);
                await process.StopAsync(_options.StopTimeout);
                SetState(spec.Name, ResourceState.Stopped);
            }
        }

        try
        {
            await Task.WhenAll(_monitors);
        }
        catch (OperationCanceledException)
        {
            // Monitors end by cancellation when stopping.
        }

        // A restart that began just as the stop did may have started a process after the loop above passed it.
        foreach (var process in _processes.Values)
        {
            await process.StopAsync(_options.StopTimeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var process in _processes.Values)
        {
            process.Dispose();
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task<bool> StartAndWaitHealthyAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        SetState(spec.Name, ResourceState.Starting);
        var process = ManagedProcess.Start(spec, _output);
        if (_processes.TryGetValue(spec.Name, out var previous))
        {
            previous.Dispose();
        }

        _processes[spec.Name] = process;
        StartedProcessIds.Add(process.ProcessId);
        Log.ResourceStarted(_logger, spec.Name, process.ProcessId);

        var deadline = _timeProvider.GetUtcNow() + _options.HealthTimeout;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (process.HasExited)
            {
                Log.ResourceExitedBeforeHealthy(_logger, spec.Name, process.ExitCode);
                return false;
            }

            if (spec.HealthUrl is null || await IsHealthyAsync(spec.HealthUrl, cancellationToken))
            {
                SetState(spec.Name, ResourceState.Running);
                Log.ResourceHealthy(_logger, spec.Name);
                return true;
            }

            if (_timeProvider.GetUtcNow() > deadline)
            {
                Log.ResourceHealthTimeout(_logger, spec.Name, _options.HealthTimeout.TotalSeconds);
                await process.StopAsync(_options.StopTimeout);
                return false;
            }

            await Task.Delay(_options.HealthPollInterval, _timeProvider, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }

    private async Task<bool> IsHealthyAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(url, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // the per-request timeout
        }
    }

    /// <summary>Waits for the process to exit; unless stopping, reports the crash and restarts it after a growing delay.</summary>
    private async Task MonitorAsync(ProcessSpec spec)
    {
        var token = _stopping.Token;
        var delay = _options.InitialRestartDelay;
        var healthySince = _timeProvider.GetUtcNow();
        while (!token.IsCancellationRequested)
        {
            var process = _processes[spec.Name];
            try
            {
                await process.WaitForExitAsync(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (token.IsCancellationRequested)
            {
                return;
            }

            if (_timeProvider.GetUtcNow() - healthySince >= _options.StableAfter)
            {
                delay = _options.InitialRestartDelay;
            }

            _restarts.AddOrUpdate(spec.Name, 1, (_, n) => n + 1);
            SetState(spec.Name, ResourceState.Crashed);
            Log.ResourceCrashed(_logger, spec.Name, process.ExitCode, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, _timeProvider, token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRestartDelay.Ticks));
                if (await StartAndWaitHealthyAsync(spec, token))
                {
                    healthySince = _timeProvider.GetUtcNow();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void SetState(string name, ResourceState state)
    {
        _states[name] = state;
        StateChanged?.Invoke(name, state);
    }
}
