using HealthAI.Benchmarks.Load.Recording;
using HealthAI.Benchmarks.Load.Targets;
using HealthAI.Benchmarks.Reporting;

namespace HealthAI.Benchmarks.Load;

/// <summary>How long one measured phase lasts: a time, or a number of measured requests, after a timed warm-up.</summary>
/// <param name="Warmup">Time before measuring starts; requests intended earlier are sent but not recorded.</param>
/// <param name="Duration">Measured time, or null when <paramref name="Requests"/> bounds the phase.</param>
/// <param name="Requests">Measured requests, or null when <paramref name="Duration"/> bounds the phase.</param>
/// <param name="PacingInterval">Per-user interval between intended sends; null runs a plain closed loop (send on completion).</param>
public sealed record LoadPhase(TimeSpan Warmup, TimeSpan? Duration, long? Requests, TimeSpan? PacingInterval = null)
{
    public void Validate()
    {
        if (Duration is null == Requests is null)
        {
            throw new ArgumentException("A phase has exactly one of a duration or a request count.");
        }

        if (Warmup < TimeSpan.Zero || Duration <= TimeSpan.Zero || Requests <= 0 || PacingInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("Warm-up must be >= 0; duration, request count and pacing must be positive.");
        }
    }
}

/// <summary>A live snapshot for the progress display.</summary>
public sealed record LoadProgress(int Users, bool WarmingUp, TimeSpan Elapsed, long Completed, long Errors, double CurrentP95Ms);

/// <summary>
/// Runs closed-loop virtual users against one target: each user sends, waits for the answer, and sends again (at its next
/// intended time when paced). Only requests intended after the warm-up are measured; latency is recorded from the intended
/// send time (see <see cref="SendSchedule"/>). Like a real client application, a user told to come back later (429/503 with
/// Retry-After) waits that long plus a small jitter before its next request, so a refused fleet does not retry in lock-step.
/// </summary>
public sealed class LoadRunner(LoadClock clock)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the random extra wait after a Retry-After, as a fraction of the wait asked for.</summary>
    public const double RetryAfterJitter = 0.1;

    public async Task<(ConcurrencyResult Result, LoadRecorder Recorder)> RunAsync(
        ILoadTarget target,
        int users,
        LoadPhase phase,
        IProgress<LoadProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(users);
        phase.Validate();

        var recorder = new LoadRecorder();
        var state = new RunState(clock.Now, phase, users);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progressTask = progress is null ? Task.CompletedTask : ReportProgressAsync(state, recorder, progress, stop.Token);

        var virtualUsers = new Task[users];
        for (var user = 0; user < users; user++)
        {
            virtualUsers[user] = RunUserAsync(user, target, state, recorder, stop.Token);
        }

        try
        {
            await Task.WhenAll(virtualUsers);
        }
        finally
        {
            await stop.CancelAsync();
            await progressTask;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var elapsed = state.MeasuredElapsed;
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        var answered = recorder.Successes + recorder.Errors;
        var result = new ConcurrencyResult(
            users,
            recorder.Successes,
            recorder.Errors,
            recorder.ExplicitRejections,
            recorder.ErrorsByKind,
            Math.Round(elapsed.TotalSeconds, 3),
            answered == 0 ? 0 : Math.Round(recorder.Successes / seconds, 1),
            LatencySummary.From(recorder.Latency),
            LatencySummary.From(recorder.ServiceTime));
        return (result, recorder);
    }

    private async Task RunUserAsync(int user, ILoadTarget target, RunState state, LoadRecorder recorder, CancellationToken stop)
    {
        // Stagger paced users across one interval so they do not all fire in the same instant.
        var offset = state.Phase.PacingInterval is { } interval ? interval * user / state.Users : TimeSpan.Zero;
        var schedule = new SendSchedule(state.Start + offset, state.Phase.PacingInterval);
        var sequence = (long)user * 7919;   // a prime stride spreads users over the corpus
        var jitter = new Random(user);       // seeded: a run's back-off pattern is reproducible
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var intended = schedule.Next(clock.Now);
                if (state.End is { } end && intended >= end)
                {
                    return;
                }

                await clock.WaitUntilAsync(intended, stop);
                var measured = intended >= state.MeasureStart;
                if (measured && !state.TryTakeMeasuredRequest())
                {
                    return;
                }

                var sent = clock.Now;
                var outcome = await target.SendAsync(user, sequence++, stop);
                var completed = clock.Now;
                Interlocked.Increment(ref state.Completed);
                if (measured)
                {
                    recorder.Record(outcome, intended, sent, completed);
                    state.MarkCompletion(completed);
                }

                if (outcome.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
                {
                    var resume = completed + retryAfter + (retryAfter * (RetryAfterJitter * jitter.NextDouble()));
                    if (state.End is { } stopAt && resume >= stopAt)
                    {
                        return;
                    }

                    await clock.WaitUntilAsync(resume, stop);
                    schedule.ResumeAt(resume);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over (or the caller cancelled): a request cut off here is neither a success nor an error.
        }
    }

    private async Task ReportProgressAsync(RunState state, LoadRecorder recorder, IProgress<LoadProgress> progress, CancellationToken stop)
    {
        var next = state.Start;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                next += ProgressInterval;
                await clock.WaitUntilAsync(next, stop);
                var now = clock.Now;
                progress.Report(new LoadProgress(
                    state.Users,
                    now < state.MeasureStart,
                    now - state.Start,
                    Interlocked.Read(ref state.Completed),
                    recorder.Errors,
                    recorder.Latency.ValueAtPercentile(95) / 1000.0));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended.
        }
    }

    private sealed class RunState(TimeSpan start, LoadPhase phase, int users)
    {
        public long Completed;
        private long _remaining = phase.Requests ?? long.MaxValue;
        private long _lastCompletionTicks = -1;

        public TimeSpan Start { get; } = start;

        public LoadPhase Phase { get; } = phase;

        public int Users { get; } = users;

        public TimeSpan MeasureStart { get; } = start + phase.Warmup;

        public TimeSpan? End { get; } = phase.Duration is { } duration ? start + phase.Warmup + duration : null;

        public TimeSpan MeasuredElapsed
        {
            get
            {
                var last = Interlocked.Read(ref _lastCompletionTicks);
                return last < 0 ? TimeSpan.Zero : TimeSpan.FromTicks(last) - MeasureStart;
            }
        }

        public bool TryTakeMeasuredRequest() => Interlocked.Decrement(ref _remaining) >= 0;

        public void MarkCompletion(TimeSpan completed)
        {
            var ticks = completed.Ticks;
            var current = Interlocked.Read(ref _lastCompletionTicks);
            while (ticks > current)
            {
                var seen = Interlocked.CompareExchange(ref _lastCompletionTicks, ticks, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
