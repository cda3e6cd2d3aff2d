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

    [Fact]
    public async Task ARefusedUserWaitsTheRetryAfterPlusASmallJitterAndTheRefusalIsCountedAsExplicit()
    {
        // The first request is refused with Retry-After 1 s; the next leaves 1 s to 1.1 s after the refusal arrived, not at once.
        var clock = new ManualClock();
        using var target = new ScriptedTarget(clock, _ => Ms, sequence => sequence == 0
            ? RequestOutcome.Rejected("http-429", TimeSpan.FromSeconds(1))
            : RequestOutcome.Success);
        var runner = new LoadRunner(clock);

        var (result, _) = await runner.RunAsync(target, 1, new LoadPhase(TimeSpan.Zero, null, 3), null, TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Successes);
        Assert.Equal(1, result.ExplicitRejections);
        Assert.Equal(result.Errors, result.ExplicitRejections);   // nothing lost
        var gap = target.SendTimes[1] - target.SendTimes[0] - Ms;
        Assert.InRange(gap, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1 + LoadRunner.RetryAfterJitter));
        Assert.Equal(Ms, target.SendTimes[2] - target.SendTimes[1]);   // a success is followed at once, as before
    }

    [Fact]
    public async Task RetryAfterWaitsAreJitteredSoRefusedClientsDoNotComeBackInLockStep()
    {
        var clock = new ManualClock();
        using var target = new ScriptedTarget(clock, _ => TimeSpan.Zero, _ => RequestOutcome.Rejected("http-429", TimeSpan.FromSeconds(1)));
        var runner = new LoadRunner(clock);

        var (result, _) = await runner.RunAsync(target, 1, new LoadPhase(TimeSpan.Zero, null, 6), null, TestContext.Current.CancellationToken);

        var gaps = target.SendTimes.Zip(target.SendTimes.Skip(1), (a, b) => b - a).ToList();
        Assert.Equal(5, gaps.Count);
        Assert.All(gaps, gap => Assert.InRange(gap, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1 + LoadRunner.RetryAfterJitter)));
        Assert.True(gaps.Distinct().Count() > 1);
        Assert.Equal(6, result.ExplicitRejections);
    }

    [Fact]
    public async Task APacedUserResumesItsCadenceAfterRetryAfterInsteadOfBurstingTheMissedSends()
    {
        var clock = new ManualClock();
        using var target = new ScriptedTarget(clock, _ => Ms, sequence => sequence == 0
            ? RequestOutcome.Rejected("http-503", 100 * Ms)
            : RequestOutcome.Success);
        var runner = new LoadRunner(clock);

        var (result, recorder) = await runner.RunAsync(
            target, 1, new LoadPhase(TimeSpan.Zero, 300 * Ms, null, 10 * Ms), null, TestContext.Current.CancellationToken);

        var gaps = target.SendTimes.Zip(target.SendTimes.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps[0] >= 100 * Ms);
        Assert.All(gaps.Skip(1), gap => Assert.Equal(10 * Ms, gap));
        Assert.Equal(1, result.ExplicitRejections);
        Assert.True(recorder.Latency.MaxValue < 10_000);   // the wait asked for is not charged to the requests after it
    }

    [Fact]
    public async Task ARetryAfterReachingPastTheEndOfThePhaseEndsTheUserWithoutWaiting()
    {
        var clock = new ManualClock();
        using var target = new ScriptedTarget(clock, _ => Ms, _ => RequestOutcome.Rejected("http-429", TimeSpan.FromHours(1)));
        var runner = new LoadRunner(clock);

        var (result, _) = await runner.RunAsync(target, 1, new LoadPhase(TimeSpan.Zero, TimeSpan.FromSeconds(10), null), null, TestContext.Current.CancellationToken);

        Assert.Equal(1, target.Sent);
        Assert.Equal(1, result.ExplicitRejections);
        Assert.True(clock.Now < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task CancellingTheRunEndsAUserWaitingOutARetryAfter()
    {
        // A clock whose waits only end by cancellation: the run can only finish if the Retry-After wait honours the token.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var clock = new StalledClock();
        using var target = new CallbackTarget(() =>
        {
            cancel.Cancel();
            return RequestOutcome.Rejected("http-429", TimeSpan.FromMinutes(5));
        });
        var runner = new LoadRunner(clock);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            runner.RunAsync(target, 1, new LoadPhase(TimeSpan.Zero, TimeSpan.FromHours(1), null), null, cancel.Token));
        Assert.Equal(1, target.Sent);
    }

    [Fact]
    public void ResumingASendScheduleSkipsTheSlotsMissedWhileWaiting()
    {
        var schedule = new SendSchedule(TimeSpan.Zero, 10 * Ms);
        Assert.Equal(TimeSpan.Zero, schedule.Next(TimeSpan.Zero));
        schedule.ResumeAt(95 * Ms);
        Assert.Equal(100 * Ms, schedule.Next(96 * Ms));
        schedule.ResumeAt(50 * Ms);   // never goes back
        Assert.Equal(110 * Ms, schedule.Next(111 * Ms));
    }

    /// <summary>Time stands still; a wait for a later time ends only when it is cancelled.</summary>
    private sealed class StalledClock : LoadClock
    {
        public override TimeSpan Now => TimeSpan.Zero;

        public override ValueTask WaitUntilAsync(TimeSpan timestamp, CancellationToken cancellationToken) =>
            timestamp <= Now ? ValueTask.CompletedTask : new ValueTask(Task.Delay(Timeout.Infinite, cancellationToken));
    }

    private sealed class CallbackTarget(Func<RequestOutcome> send) : ILoadTarget
    {
        private int _sent;

        public int Sent => _sent;

        public string Description => "callback";

        public ValueTask<RequestOutcome> SendAsync(long sequence, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return ValueTask.FromResult(send());
        }

        public void Dispose()
        {
        }
    }

    /// <summary>A target whose service time and outcome are scripted per sequence number; it moves the manual clock.</summary>
    private sealed class ScriptedTarget(ManualClock clock, Func<long, TimeSpan> serviceTime, Func<long, RequestOutcome>? outcome = null) : ILoadTarget
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<TimeSpan> _sendTimes = new();
        private int _sent;

        public int Sent => _sent;

        /// <summary>When each request left, in order.</summary>
        public IReadOnlyList<TimeSpan> SendTimes => [.. _sendTimes.Order()];

        public string Description => "scripted";

        public ValueTask<RequestOutcome> SendAsync(long sequence, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            _sendTimes.Enqueue(clock.Now);
            clock.Advance(serviceTime(sequence));
            return ValueTask.FromResult(outcome?.Invoke(sequence) ?? RequestOutcome.Success);
        }

        public void Dispose()
        {
        }
    }
}
