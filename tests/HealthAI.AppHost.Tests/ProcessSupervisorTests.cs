using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HealthAI.AppHost.Orchestration;
using Microsoft.Extensions.Logging;

namespace HealthAI.AppHost.Tests;

/// <summary>The supervisor against real child processes (the FakeResource program) on loopback ports the OS assigns.</summary>
public sealed class ProcessSupervisorTests : IDisposable
{
    private static readonly SupervisorOptions Fast = new()
    {
        HealthTimeout = TimeSpan.FromSeconds(120), // an upper bound for a loaded CI machine, not a speed check
        HealthPollInterval = TimeSpan.FromMilliseconds(50),
        InitialRestartDelay = TimeSpan.FromMilliseconds(100),
        MaxRestartDelay = TimeSpan.FromMilliseconds(400),
        StopTimeout = TimeSpan.FromSeconds(1),
    };

    private readonly string _state = TestPaths.NewTempDirectory();
    private readonly CapturingLogger _logger = new();
    private readonly CapturingOutput _output = new();

    [Fact]
    public async Task Starts_in_dependency_order_each_after_its_dependencies_are_healthy()
    {
        // b is slow to become ready: c must not start before it is.
        var a = Spec("a", []);
        var b = Spec("b", [a], ("FAKE_READY_AFTER_MS", "1500"));
        var c = Spec("c", [a, b]);
        var supervisor = Create(a, b, c);

        await supervisor.StartAsync(TestContext.Current.CancellationToken);

        var starts = File.ReadAllLines(Path.Combine(_state, "starts.log"));
        Assert.Equal(["a", "b", "c"], starts.Select(l => l.Split(' ')[0]));
        Assert.All(starts, l => Assert.Equal("deps-healthy=True", l.Split(' ')[2]));
        Assert.All(new[] { "a", "b", "c" }, n => Assert.Equal(ResourceState.Running, supervisor.GetState(n)));

        await supervisor.DisposeAsync(); // children's lines are forwarded asynchronously: check them once the processes have ended
        Assert.Contains(_output.Lines, l => l is ("b", "b stderr line", true));
        Assert.Contains(_output.Lines, l => l.Resource == "c" && l.Line.StartsWith("c listening on", StringComparison.Ordinal) && !l.IsError);
    }

    [Fact]
    public async Task A_crashed_resource_is_reported_and_restarted_with_growing_backoff()
    {
        var flaky = Spec("flaky", [], ("FAKE_CRASH_STARTS", "3"), ("FAKE_CRASH_AFTER_MS", "200"));
        await using var supervisor = Create(flaky);

        await supervisor.StartAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => supervisor.GetRestartCount("flaky") == 3 && supervisor.GetState("flaky") == ResourceState.Running);
        await Task.Delay(500, TestContext.Current.CancellationToken); // the fourth start does not crash

        Assert.Equal(3, supervisor.GetRestartCount("flaky"));
        Assert.Equal(ResourceState.Running, supervisor.GetState("flaky"));
        Assert.Equal("4", File.ReadAllText(Path.Combine(_state, "flaky.starts")));
        var delays = _logger.Events.Where(e => e.Id == 9004).Select(e => double.Parse(e.Values["DelaySeconds"]!.ToString()!, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([0.1, 0.2, 0.4], delays);
        Assert.All(_logger.Events.Where(e => e.Id == 9004), e => Assert.Equal("3", e.Values["ExitCode"]!.ToString()));
    }

    [Fact]
    public async Task Stop_leaves_no_process_behind_even_one_that_ignores_SIGTERM()
    {
        var polite = Spec("polite", []);
        var stubborn = Spec("stubborn", [polite], ("FAKE_IGNORE_SIGTERM", "1"));
        var supervisor = Create(polite, stubborn);
        await supervisor.StartAsync(TestContext.Current.CancellationToken);
        var pids = supervisor.StartedProcessIds.ToArray();
        Assert.Equal(2, pids.Length);
        Assert.All(pids, pid => Assert.True(IsAlive(pid)));

        await supervisor.DisposeAsync();

        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"process {pid} is still running"));
        Assert.Equal(ResourceState.Stopped, supervisor.GetState("stubborn"));
        Assert.Contains(_output.Lines, l => l is ("polite", "polite stopping", false)); // SIGTERM reached it and it shut down itself
    }

    [Fact]
    public async Task A_resource_that_never_becomes_healthy_fails_the_start_naming_it()
    {
        var broken = Spec("broken", [], ("FAKE_CRASH_STARTS", "99"), ("FAKE_CRASH_BEFORE_HEALTHY", "1"), ("FAKE_CRASH_AFTER_MS", "0"), ("FAKE_READY_AFTER_MS", "600000"));
        var dependent = Spec("dependent", [broken]);
        await using var supervisor = Create(broken, dependent);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => supervisor.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("'broken'", error.Message, StringComparison.Ordinal);
        Assert.Equal(ResourceState.Failed, supervisor.GetState("broken"));
        Assert.Equal(ResourceState.Pending, supervisor.GetState("dependent"));
        Assert.False(File.Exists(Path.Combine(_state, "dependent.starts")));
    }

    [Fact]
    public void Rejects_a_resource_listed_before_what_it_depends_on()
    {
        var a = Spec("a", []);
        var b = Spec("b", [a]);

        var error = Assert.Throws<ArgumentException>(() => Create(b, a));

        Assert.Contains("'b' depends on 'a'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => TemporaryFolders.DeleteQuietly(_state);

    private ProcessSupervisor Create(params ProcessSpec[] specs) => new(specs, Fast, _logger, _output, TimeProvider.System);

    private ProcessSpec Spec(string name, ProcessSpec[] dependsOn, params (string Key, string Value)[] environment)
    {
        var port = FreePort();
        var variables = new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = name,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["FAKE_STATE_DIR"] = _state,
        };
        foreach (var dependency in dependsOn)
        {
            variables[$"services__{dependency.Name}__http__0"] = dependency.Environment["ASPNETCORE_URLS"];
        }

        foreach (var (key, value) in environment)
        {
            variables[key] = value;
        }

        return new ProcessSpec(name, "dotnet", [TestPaths.FakeResource], variables, _state, new Uri($"http://127.0.0.1:{port}/health"),
            dependsOn.Select(d => d.Name).ToArray());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private sealed class CapturingOutput : IResourceOutput
    {
        public ConcurrentQueue<(string Resource, string Line, bool IsError)> Lines { get; } = new();

        public void WriteLine(string resource, string line, bool isError) => Lines.Enqueue((resource, line, isError));
    }
}

internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(int Id, Dictionary<string, object?> Values)> Events { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Enqueue((eventId.Id, state is IEnumerable<KeyValuePair<string, object?>> values
            ? values.ToDictionary(v => v.Key, v => v.Value)
            : []));
}
