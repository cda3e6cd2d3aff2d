using HealthAI.Benchmarks.Load;
using HealthAI.Benchmarks.Load.Recording;
using HealthAI.Benchmarks.Load.Targets;

namespace HealthAI.Benchmarks.Tests;

public class LoadRunnerTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task PacedUsersRecordLatencyFromTheIntendedSendTimeSoAStallIsNotHidden()
    {
        // One user paced at 10 ms; request 3 stalls for 100 ms. Requests 4..13 were due during the stall: they leave late and
        // their latency counts from when they should have left (coordinated-omission correction); service time does not.
        var clock = new ManualClock();
        using var target = new ScriptedTarget(clock, sequence => sequence == 3 ? 100 * Ms : Ms);
        var runner = new LoadRunner(clock);

        var (result, recorder) = await runner.RunAsync(
            target, 1, new LoadPhase(TimeSpan.Zero, 500 * Ms, null, 10 * Ms), null, TestContext.Current.CancellationToken);

        Assert.Equal(50, result.Successes);
        Assert.Equal(11, recorder.Latency.CountAbove(2_000));
        Assert.Equal(1, recorder.ServiceTime.CountAbove(2_000));
        Assert.Equal(100_000, recorder.Latency.MaxValue);
        Assert.Equal(100_000, recorder.ServiceTime.MaxValue);
    }

    [Fact]
    public async Task AnUnpacedClosedLoopMeasuresServiceTime()
    {
        var clock = new ManualClock();
        using var target = new ScriptedTarget(clock, sequence => sequence == 3 ? 100 * Ms : Ms);
        var runner = new LoadRunner(clock);

        var (result, recorder) = await runner.RunAsync(
            target, 1, new LoadPhase(TimeSpan.Zero, 200 * Ms, null), null, TestContext.Current.CancellationToken);

        Assert.Equal(101, result.Successes);   // 100 ms of 1 ms requests plus the one 100 ms stall
        Assert.Equal(recorder.ServiceTime.ValueAtPercentile(99), recorder.Latency.ValueAtPercentile(99));
        Assert.Equal(1, recorder.Latency.CountAbove(2_000));
    }

    [Fact]
    public async Task WarmUpRequestsAreSentButNotMeasured()
    {
        var clock = new ManualClock();
        using var target = new ScriptedTarget(clock, _ => Ms);
        var runner = new LoadRunner(clock);

        var (result, _) = await runner.RunAsync(
            target, 1, new LoadPhase(100 * Ms, 100 * Ms, null, 10 * Ms), null, TestContext.Current.CancellationToken);

        Assert.Equal(20, target.Sent);
        Assert.Equal(10, result.Successes);
        Assert.Equal(0.091, result.DurationSeconds, 3);   // from the end of warm-up to the last measured completion
    }

    [Fact]
    public async Task ARequestCountIsHonouredExactlyAcrossUsersAndErrorsAreCountedByKind()
    {
        var clock = new ManualClock();
        using var target = new ScriptedTarget(clock, _ => Ms, sequence => sequence % 5 == 0
            ? RequestOutcome.Rejected("http-503")
            : sequence % 7 == 0 ? RequestOutcome.Failed("timeout") : RequestOutcome.Success);
        var runner = new LoadRunner(clock);

        var (result, _) = await runner.RunAsync(
            target, 3, new LoadPhase(TimeSpan.Zero, null, 37), null, TestContext.Current.CancellationToken);

        Assert.Equal(37, result.Successes + result.Errors);
        Assert.Equal(result.Errors, result.ErrorsByKind.Values.Sum());
        Assert.Equal(result.ErrorsByKind.GetValueOrDefault("http-503"), result.ExplicitRejections);
        Assert.True(result.ErrorsByKind.ContainsKey("http-503"));
        Assert.Equal(result.Successes, result.Latency.Count);
    }

    [Fact]
    public void PhaseValidationRejectsAmbiguousOrEmptyPhases()
    {
        Assert.Throws<ArgumentException>(() => new LoadPhase(TimeSpan.Zero, Ms, 10).Validate());
        Assert.Throws<ArgumentException>(() => new LoadPhase(TimeSpan.Zero, null, null).Validate());
        Assert.Throws<ArgumentException>(() => new LoadPhase(TimeSpan.Zero, null, 0).Validate());
        Assert.Throws<ArgumentException>(() => new LoadPhase(TimeSpan.Zero, Ms, null, TimeSpan.Zero).Validate());
    }

    [Fact]
    public void SendScheduleKeepsItsCadenceWhateverTheCompletionTimes()
    {
        var schedule = new SendSchedule(TimeSpan.FromSeconds(1), 10 * Ms);
        Assert.Equal(TimeSpan.FromSeconds(1), schedule.Next(TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(1) + (10 * Ms), schedule.Next(TimeSpan.FromSeconds(9)));
        var unpaced = new SendSchedule(TimeSpan.Zero, null);
        Assert.Equal(TimeSpan.FromSeconds(9), unpaced.Next(TimeSpan.FromSeconds(9)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendSchedule(TimeSpan.Zero, TimeSpan.Zero));
    }

    /// <summary>A target whose service time and outcome are scripted per sequence number; it moves the manual clock.</summary>
    private sealed class ScriptedTarget(ManualClock clock, Func<long, TimeSpan> serviceTime, Func<long, RequestOutcome>? outcome = null) : ILoadTarget
    {
        private int _sent;

        public int Sent => _sent;

        public string Description => "scripted";

        public ValueTask<RequestOutcome> SendAsync(long sequence, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            clock.Advance(serviceTime(sequence));
            return ValueTask.FromResult(outcome?.Invoke(sequence) ?? RequestOutcome.Success);
        }

        public void Dispose()
        {
        }
    }
}
