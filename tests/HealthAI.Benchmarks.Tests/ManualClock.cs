using HealthAI.Benchmarks.Load.Recording;

namespace HealthAI.Benchmarks.Tests;

/// <summary>A clock that only moves when a test (or a fake target) moves it; waiting jumps straight to the due time.</summary>
internal sealed class ManualClock : LoadClock
{
    private long _ticks;

    public override TimeSpan Now => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override ValueTask WaitUntilAsync(TimeSpan timestamp, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var current = Interlocked.Read(ref _ticks);
        while (timestamp.Ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _ticks, timestamp.Ticks, current);
            if (seen == current)
            {
                break;
            }

            current = seen;
        }

        return ValueTask.CompletedTask;
    }
}
