using System.Collections.Concurrent;

namespace HealthAI.Benchmarks.Load.Recording;

/// <summary>
/// Collects what the measured phase of a run produced: latency from the intended send time (what a user experiences,
/// corrected for coordinated omission), service time from the actual send (what the server took), and errors by kind.
/// </summary>
public sealed class LoadRecorder
{
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _rejected;

    public LatencyHistogram Latency { get; } = new();

    public LatencyHistogram ServiceTime { get; } = new();

    public long Successes => Latency.TotalCount;

    public long Errors => _errors.Values.Sum();

    /// <summary>Errors that were explicit 429/503 answers with Retry-After.</summary>
    public long ExplicitRejections => Volatile.Read(ref _rejected);

    public IReadOnlyDictionary<string, long> ErrorsByKind => new SortedDictionary<string, long>(_errors, StringComparer.Ordinal);

    public void Record(RequestOutcome outcome, TimeSpan intendedSend, TimeSpan actualSend, TimeSpan completed)
    {
        if (outcome.IsSuccess)
        {
            Latency.Record(ToMicroseconds(completed - intendedSend));
            ServiceTime.Record(ToMicroseconds(completed - actualSend));
            return;
        }

        _errors.AddOrUpdate(outcome.ErrorKind!, 1, static (_, count) => count + 1);
        if (outcome.ExplicitRejection)
        {
            Interlocked.Increment(ref _rejected);
        }
    }

    private static long ToMicroseconds(TimeSpan span) => Math.Max(0, span.Ticks / (TimeSpan.TicksPerMillisecond / 1000));
}
