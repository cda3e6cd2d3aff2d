namespace HealthAI.Benchmarks.Load.Recording;

/// <summary>
/// The time source of a load run. Virtual users read timestamps and wait for their next intended send time through it, so
/// tests can drive a run on a manual clock and check the coordinated-omission arithmetic without any wall-clock timing.
/// </summary>
public abstract class LoadClock
{
    /// <summary>The clock every real run uses: <see cref="TimeProvider.System"/>.</summary>
    public static LoadClock System { get; } = new TimeProviderClock(TimeProvider.System);

    /// <summary>Monotonic timestamp now.</summary>
    public abstract TimeSpan Now { get; }

    /// <summary>Completes once <see cref="Now"/> has reached <paramref name="timestamp"/>.</summary>
    public abstract ValueTask WaitUntilAsync(TimeSpan timestamp, CancellationToken cancellationToken);

    private sealed class TimeProviderClock(TimeProvider timeProvider) : LoadClock
    {
        private readonly long _origin = timeProvider.GetTimestamp();

        public override TimeSpan Now => timeProvider.GetElapsedTime(_origin);

        public override async ValueTask WaitUntilAsync(TimeSpan timestamp, CancellationToken cancellationToken)
        {
            var wait = timestamp - Now;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider, cancellationToken);
            }
        }
    }
}
