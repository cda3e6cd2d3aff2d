using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using HealthAI.Benchmarks.Load.Recording;
using HealthAI.Benchmarks.Reporting;

namespace HealthAI.Benchmarks.Gateway;

/// <summary>
/// The gateway against nginx at 64 connections, measured in pairs for a machine whose speed drifts: the gateway and nginx run
/// side by side in front of the same backend, and each operation sends <see cref="RoundsPerSide"/> rounds of 64 concurrent
/// requests through one and then the same through the other (which goes first alternates). Load from the neighbours, which
/// changes over seconds, falls on both halves of a pair alike, whereas <see cref="GatewayForwardingBenchmarks"/> measures the
/// two a minute apart. What each pair gives:
/// <list type="bullet">
/// <item>the gateway's throughput as a share of nginx's (nginx's time for its half / the gateway's);</item>
/// <item>each side's per-request p99 in that half, and their ratio;</item>
/// </list>
/// The result is the line printed at the end: medians and quartiles over the pairs, the p99 of every request of each side, and
/// each side's own CPU time per request over all its halves (summed, since one half is only about ten of the kernel's
/// 10 ms ticks of CPU time).
/// The Mean column is the time of one whole pair and compares nothing.
/// </summary>
/// <remarks>
/// Run: <c>dotnet build -c Release HealthAI.Gateway &amp;&amp; dotnet run -c Release --project HealthAI.Benchmarks -- --filter '*GatewayNginxPaired*'</c>.
/// Needs nginx on the PATH, as <see cref="GatewayForwardingBenchmarks"/> does.
/// </remarks>
[Config(typeof(Config))]
public class GatewayNginxPairedBenchmarks : IDisposable
{
    /// <summary>Rounds of 64 requests in each half of a pair: 64 (about a fifth of a second), or HEALTHAI_BENCH_PAIR_ROUNDS.
    /// Long enough that switching sides costs little, short enough that the machine's speed hardly moves within a pair; a
    /// longer half shows whether switching costs one side more than the other.</summary>
    public static readonly int RoundsPerSide =
        int.TryParse(Environment.GetEnvironmentVariable("HEALTHAI_BENCH_PAIR_ROUNDS"), CultureInfo.InvariantCulture, out var rounds) && rounds > 0 ? rounds : 64;

    private const int Connections = 64;

    private readonly Side _gateway = new("gateway");
    private readonly Side _nginx = new("nginx");
    private readonly List<PairFigures> _pairs = [];
    private ForwardingTargets _targets = null!;
    private int _pairCount;

    /// <summary>The nginx the gateway is paired with.</summary>
    public enum Peer
    {
        /// <summary>One worker process.</summary>
        Nginx,

        /// <summary>A worker per core: Debian's packaged <c>worker_processes auto</c>.</summary>
        NginxTwoWorkers,

        /// <summary>One worker logging every request to a file, as Debian's packaged configuration does: like for like with
        /// the gateway's audit record, though the gateway's record also carries its hash chain.</summary>
        NginxAccessLog,
    }

    [Params(Peer.Nginx, Peer.NginxTwoWorkers, Peer.NginxAccessLog)]
    public Peer Against { get; set; }

    // Synchronous on purpose, as in GatewayForwardingBenchmarks: the in-process toolchain does not wait for an async setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _targets = await ForwardingTargets.StartAsync(
            nginx: true, gateway: true, nginxWorkers: Against == Peer.NginxTwoWorkers ? 2 : 1, nginxAccessLog: Against == Peer.NginxAccessLog);
        _gateway.Start(_targets.Gateway, _targets.GatewayProcess!, _targets.CreateClient(Connections));
        _nginx.Start(_targets.Nginx, _targets.NginxProcess!, _targets.CreateClient(Connections));

        // Both sides' connections warm, and the gateway's JIT settled (see Warmup), before any pair counts.
        await Warmup.RunAsync(
            async () =>
            {
                await _gateway.RoundAsync(record: false);
                await _nginx.RoundAsync(record: false);
            },
            _targets.GatewayProcess);
    }

    [Benchmark(Description = "pair: gateway and nginx, rounds of 64 each")]
    public async Task PairAsync()
    {
        var gatewayFirst = _pairCount++ % 2 == 0;
        var first = gatewayFirst ? _gateway : _nginx;
        var second = gatewayFirst ? _nginx : _gateway;
        var firstHalf = await first.HalfAsync();
        var secondHalf = await second.HalfAsync();
        var (gateway, nginx) = gatewayFirst ? (firstHalf, secondHalf) : (secondHalf, firstHalf);
        _pairs.Add(new PairFigures(
            ThroughputShare: nginx.Elapsed / gateway.Elapsed,
            P99Ratio: (double)gateway.P99 / nginx.P99,
            GatewayP99: gateway.P99,
            NginxP99: nginx.P99));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine(Summary());
        Dispose();
        _targets.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The result line: medians and quartiles over the pairs, and each side's CPU per request and p99 over all its
    /// requests.</summary>
    internal string Summary()
    {
        if (_pairs.Count == 0)
        {
            return "// pairs: none ran";
        }

        string Spread(Func<PairFigures, double> figure, string format) => Quartiles.Of(_pairs.Select(figure)).ToString(format);

        return string.Create(CultureInfo.InvariantCulture,
            $"// pairs ({Against}, {_pairs.Count} pairs of {RoundsPerSide} rounds of {Connections}; median (quartiles)): "
            + $"gateway throughput / nginx {Spread(p => p.ThroughputShare, "P0")}; "
            + $"p99 gateway / nginx {Spread(p => p.P99Ratio, "F2")}, gateway {Spread(p => p.GatewayP99, "F0")} us, nginx {Spread(p => p.NginxP99, "F0")} us; "
            + $"CPU per request gateway {_gateway.CpuPerRequest:F1} us, nginx {_nginx.CpuPerRequest:F1} us; "
            + $"p99 over all requests gateway {_gateway.AllRequests.ValueAtPercentile(99)} us, nginx {_nginx.AllRequests.ValueAtPercentile(99)} us");
    }

    public void Dispose()
    {
        _gateway.Dispose();
        _nginx.Dispose();
        GC.SuppressFinalize(this);
    }

    private readonly record struct PairFigures(double ThroughputShare, double P99Ratio, double GatewayP99, double NginxP99);

    private readonly record struct HalfFigures(TimeSpan Elapsed, long P99);

    /// <summary>One proxy with its own client and connections, timing halves of pairs.</summary>
    private sealed class Side(string name) : IDisposable
    {
        private readonly long[] _halfLatencies = new long[RoundsPerSide * Connections];
        private HttpClient _client = null!;
        private Uri _uri = null!;
        private Process _process = null!;
        private int _recorded;
        private TimeSpan _cpu;
        private long _requests;

        public LatencyHistogram AllRequests { get; } = new();

        /// <summary>The proxy's own CPU time per request over all halves, in microseconds.</summary>
        public double CpuPerRequest => _requests == 0 ? 0 : _cpu.TotalMicroseconds / _requests;

        public void Start(Uri proxy, Process process, HttpClient client)
        {
            _uri = new Uri(proxy, "/v1/deidentify");
            _process = process;
            _client = client;
        }

        public async Task<HalfFigures> HalfAsync()
        {
            _recorded = 0;
            var cpuAtStart = ForwardingTargets.ProcessorTime(_process);
            var started = Stopwatch.GetTimestamp();
            for (var round = 0; round < RoundsPerSide; round++)
            {
                await RoundAsync(record: true);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited during the run");
            }

            _cpu += ForwardingTargets.ProcessorTime(_process) - cpuAtStart;
            _requests += _halfLatencies.Length;
            Array.Sort(_halfLatencies);
            var p99 = _halfLatencies[(int)Math.Ceiling(0.99 * _halfLatencies.Length) - 1];
            return new HalfFigures(elapsed, p99);
        }

        public Task RoundAsync(bool record)
        {
            var tasks = new Task[Connections];
            for (var i = 0; i < tasks.Length; i++)
            {
                tasks[i] = SendAsync(record);
            }

            return Task.WhenAll(tasks);
        }

        private async Task SendAsync(bool record)
        {
            var started = Stopwatch.GetTimestamp();
            await JsonPost.SendAsync(_client, _uri, JsonPost.DeidentifyBody);
            if (record)
            {
                var latency = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                _halfLatencies[Interlocked.Increment(ref _recorded) - 1] = latency;
                AllRequests.Record(latency);
            }
        }

        public void Dispose() => _client?.Dispose();
    }

    private sealed class Config : ManualConfig
    {
        public Config() =>
            // One invocation is one pair: at 64 rounds a side, 8 iterations of 12 pairs after 2 of warm-up; longer halves,
            // fewer pairs, for about the same time.
            AddJob(InProcessProxyJob.With(invocations: Math.Max(2, 12 * 64 / RoundsPerSide), warmups: 2, iterations: 8));
    }
}
