using System.Diagnostics;
using System.Globalization;

namespace HealthAI.Benchmarks;

/// <summary>
/// Load before measuring. A .NET server (the gateway, the inference server) starts with unoptimized code and tiers up under
/// load, whereas nginx and ONNX Runtime are native from the first request. BenchmarkDotNet's own warm-up of a few hundred
/// operations is far too short for that, so every .NET target runs its benchmark's own operation first, for at least
/// <see cref="Duration"/> and then until the JIT has settled, and the figures compare steady states.
/// </summary>
/// <remarks>
/// Why "until the JIT has settled" rather than a fixed time: a profile of the gateway after 20 s of 64-connection load on the
/// shared 2-core box still had its background compiler thread using 17% of the process's CPU (0.4% after 75 s), so a fixed
/// period measured a different amount of compilation on each run. The rate itself is too noisy on a shared machine to tell a
/// plateau from a pause, but the compiler's own thread time is not: warm-up goes on while the tiered-compilation threads of
/// this process or of a watched server process used more than <see cref="SettledJitShare"/> of one core over the last
/// <see cref="Window"/>, up to <see cref="MaxDuration"/>. Where <c>/proc</c> is missing (not Linux) it is the fixed minimum.
/// </remarks>
internal static class Warmup
{
    /// <summary>The minimum warm-up: 20 s, or HEALTHAI_BENCH_WARMUP_SECONDS.</summary>
    public static readonly TimeSpan Duration = Seconds("HEALTHAI_BENCH_WARMUP_SECONDS", 20);

    /// <summary>The longest warm-up, settled or not: 120 s, or HEALTHAI_BENCH_WARMUP_MAX_SECONDS.</summary>
    public static readonly TimeSpan MaxDuration = Seconds("HEALTHAI_BENCH_WARMUP_MAX_SECONDS", 120);

    /// <summary>The span over which the compiler's thread time is compared.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    /// <summary>At most this share of one core spent compiling over the last window counts as settled.</summary>
    public const double SettledJitShare = 0.01;

    /// <summary>Runs <paramref name="operation"/> until the JIT of this process and of <paramref name="servers"/> has settled.</summary>
    public static async Task RunAsync(Func<Task> operation, params Process?[] servers)
    {
        var clocks = new List<JitThreadClock> { new(Environment.ProcessId) };
        foreach (var server in servers)
        {
            if (server is { HasExited: false })
            {
                clocks.Add(new JitThreadClock(server.Id));
            }
        }

        var clock = Stopwatch.StartNew();
        var operations = 0;
        var windowStart = TimeSpan.Zero;
        TimeSpan? lastWindowJit = null;
        var settled = false;
        foreach (var jit in clocks)
        {
            jit.Sample();
        }

        while (clock.Elapsed < MaxDuration)
        {
            await operation();
            operations++;
            if (clock.Elapsed - windowStart < Window)
            {
                continue;
            }

            // The busiest process decides: every watched one must have settled.
            var windowJit = TimeSpan.Zero;
            var measurable = true;
            foreach (var jit in clocks)
            {
                if (jit.Sample() is { } spent)
                {
                    windowJit = spent > windowJit ? spent : windowJit;
                }
                else
                {
                    measurable = false;
                }
            }

            lastWindowJit = measurable ? windowJit : null;
            var share = windowJit / (clock.Elapsed - windowStart);
            windowStart = clock.Elapsed;
            if (clock.Elapsed >= Duration && (!measurable || share <= SettledJitShare))
            {
                settled = measurable;
                break;
            }
        }

        var jitNote = lastWindowJit is { } last
            ? $"JIT {(settled ? "settled" : "still compiling")}: {last.TotalMilliseconds:F0} ms of compiler thread time in the last {Window.TotalSeconds:F0} s"
            : "JIT not observable here, fixed minimum";
        Console.WriteLine($"// warm-up: {operations} operations in {clock.Elapsed.TotalSeconds:F0} s ({jitNote})");
    }

    private static TimeSpan Seconds(string variable, double fallback) => TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 ? seconds : fallback);
}

/// <summary>
/// CPU time of one process's tiered-compilation threads (named ".NET Tiered Com…" by the runtime), read from
/// <c>/proc/&lt;pid&gt;/task</c>. The runtime ends that thread when idle and starts a new one when needed, so time is summed per
/// thread id: a thread that went away adds nothing more, a new one adds all it used.
/// </summary>
internal sealed class JitThreadClock(int processId)
{
    private const string CompilerThreadName = ".NET Tiered Com";

    // /proc reports thread times in USER_HZ ticks, which Linux fixes at 100 per second for this interface.
    private const double TicksPerSecond = 100;

    private readonly Dictionary<int, long> _ticksByThread = [];

    /// <summary>Compiler thread time since the previous call (since construction on the first); null where it cannot be read.</summary>
    public TimeSpan? Sample()
    {
        var directory = $"/proc/{processId}/task";
        if (!Directory.Exists(directory))
        {
            return null;
        }

        long spent = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories(directory))
            {
                if (!int.TryParse(Path.GetFileName(task), CultureInfo.InvariantCulture, out var threadId)
                    || !File.ReadAllText(Path.Combine(task, "comm")).StartsWith(CompilerThreadName, StringComparison.Ordinal)
                    || ParseCpuTicks(File.ReadAllText(Path.Combine(task, "stat"))) is not { } ticks)
                {
                    continue;
                }

                spent += ticks - _ticksByThread.GetValueOrDefault(threadId);
                _ticksByThread[threadId] = ticks;
            }
        }
        catch (IOException)
        {
            // A thread or the process ended between listing and reading: count what was read.
        }

        return TimeSpan.FromSeconds(spent / TicksPerSecond);
    }

    /// <summary>User plus system ticks from a <c>/proc/…/stat</c> line: fields 14 and 15, counted after the parenthesised
    /// name, which may itself hold spaces and parentheses.</summary>
    public static long? ParseCpuTicks(string stat)
    {
        var afterName = stat.LastIndexOf(')');
        if (afterName < 0)
        {
            return null;
        }

        // After ") " come field 3 (state) onwards, so utime (14) and stime (15) are the 12th and 13th of the rest.
        var fields = stat[(afterName + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 12
            && long.TryParse(fields[11], CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], CultureInfo.InvariantCulture, out var system)
                ? user + system
                : null;
    }
}
