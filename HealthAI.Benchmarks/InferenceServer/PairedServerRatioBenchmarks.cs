using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using HealthAI.Benchmarks.Reporting;

namespace HealthAI.Benchmarks.InferenceServer;

/// <summary>
/// The server's share of its ceiling measured in pairs, for a noisy shared machine: each invocation times the in-process
/// ORT run and the server run back to back (order alternating), so load from other processes, which changes over seconds,
/// hits both sides of a pair alike. Each pair prints its share (in-process time / server time = server throughput as a share of
/// in-process) and the median and quartiles so far (the last pair's line is the result). The Mean column means nothing here.
/// Same setup and environment knobs as <see cref="ServerThroughputBenchmarks"/> (whose methods this class also inherits, so
/// filter on the paired ones):
/// HEALTHAI_BENCH_SEQ=16 dotnet run -c Release --project HealthAI.Benchmarks -- --filter '*PairedServerRatio*.Paired*'
///   --job short --warmupCount 2 --iterationCount 15 --inProcess
/// </summary>
public class PairedServerRatioBenchmarks : ServerThroughputBenchmarks
{
    private readonly List<double> _noBatching = [];
    private readonly List<double> _dynamic = [];
    private int _pairs;

    [Benchmark(Description = "paired: server no batching / in-process batch 1")]
    public Task PairedNoBatching() => PairAsync(InProcessBatch1, ServerNoBatching, _noBatching, "no batching vs in-process b1");

    [Benchmark(Description = "paired: server dynamic batching / in-process batch 16")]
    public Task PairedDynamicBatching() => PairAsync(InProcessBatch16, ServerDynamicBatching, _dynamic, "dynamic batching vs in-process b16");

    private async Task PairAsync(Action inProcess, Func<Task> server, List<double> shares, string label)
    {
        TimeSpan ceiling, served;
        if (_pairs++ % 2 == 0)
        {
            ceiling = Time(inProcess);
            served = await TimeAsync(server);
        }
        else
        {
            served = await TimeAsync(server);
            ceiling = Time(inProcess);
        }

        var share = ceiling / served;
        shares.Add(share);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// pair seq={SequenceLength} {label}: in-process {ceiling.TotalMilliseconds:F0} ms, server {served.TotalMilliseconds:F0} ms, share {share:P0}; {Summary(shares)}"));
    }

    private static TimeSpan Time(Action action)
    {
        var started = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Median and quartiles of the shares so far, leaving out the first two pairs (warm-up); the last line is the result.</summary>
    private static string Summary(List<double> shares)
    {
        if (shares.Count <= 2)
        {
            return "warm-up pair";
        }

        var quartiles = Quartiles.Of(shares.Skip(2));
        return string.Create(CultureInfo.InvariantCulture,
            $"median so far {quartiles.Median:P0} (quartiles {quartiles.Lower:P0}..{quartiles.Upper:P0}, {shares.Count - 2} pairs)");
    }
}
