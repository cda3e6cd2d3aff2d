namespace HealthAI.Benchmarks.Load.Recording;

/// <summary>
/// When each request of one virtual user is meant to leave. With pacing, request k is due at start + k × interval whatever
/// happened before, so a stalled response makes the following requests late and their latency is measured from when they
/// should have been sent (the coordinated-omission correction: a slow server cannot hide the queue it caused by slowing the
/// client down). Without pacing the user is a plain closed loop: each request is due the moment the previous one finished.
/// </summary>
public sealed class SendSchedule
{
    private readonly TimeSpan _start;
    private readonly TimeSpan? _interval;
    private long _sequence;

    public SendSchedule(TimeSpan start, TimeSpan? interval)
    {
        if (interval is { } value && value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "The pacing interval must be positive.");
        }

        _start = start;
        _interval = interval;
    }

    public bool IsPaced => _interval is not null;

    /// <summary>The intended send time of the next request, given that the previous one completed at <paramref name="now"/>.</summary>
    public TimeSpan Next(TimeSpan now)
    {
        if (_interval is not { } interval)
        {
            return now;
        }

        return _start + (interval * _sequence++);
    }

    /// <summary>
    /// The user was told to come back at <paramref name="at"/> (Retry-After) and waited: sends that fell due while it waited
    /// are skipped rather than fired in a burst, and the cadence resumes at the first slot not before <paramref name="at"/>.
    /// </summary>
    public void ResumeAt(TimeSpan at)
    {
        if (_interval is not { } interval || at <= _start)
        {
            return;
        }

        var firstSlot = (long)Math.Ceiling((at - _start) / interval);
        _sequence = Math.Max(_sequence, firstSlot);
    }
}
