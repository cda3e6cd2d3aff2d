using System.Collections.Concurrent;

namespace HealthAI.InferenceServer.Scheduling;

/// <summary>Why a request failed, as Triton labels <c>nv_inference_request_failure</c>.</summary>
public enum FailureReason
{
    Rejected,
    Canceled,
    Backend,
    Other,
}

/// <summary>A cumulative count and total duration (Triton's StatisticDuration).</summary>
public sealed class DurationCounter
{
    private long _count;
    private long _nanoseconds;

    public long Count => Interlocked.Read(ref _count);

    public long Nanoseconds => Interlocked.Read(ref _nanoseconds);

    public void Add(TimeSpan duration, long count = 1)
    {
        Interlocked.Add(ref _count, count);
        Interlocked.Add(ref _nanoseconds, (long)(duration.Ticks * 100 * count));
    }
}

/// <summary>Per-batch-size compute statistics.</summary>
public sealed class BatchStatistics
{
    public DurationCounter ComputeInput { get; } = new();
    public DurationCounter ComputeInfer { get; } = new();
    public DurationCounter ComputeOutput { get; } = new();
}

/// <summary>
/// Statistics of one model version, fed by the scheduler and read by the statistics extension and the Prometheus endpoint.
/// Counts follow Triton: success/fail count requests, inference_count counts batch items, execution_count counts executions.
/// </summary>
public sealed class ModelVersionStatistics
{
    private readonly long[] _failures = new long[4];
    private long _inferenceCount;
    private long _executionCount;
    private long _lastInferenceMs;
    private long _pending;

    public DurationCounter Success { get; } = new();
    public DurationCounter Fail { get; } = new();
    public DurationCounter Queue { get; } = new();
    public DurationCounter ComputeInput { get; } = new();
    public DurationCounter ComputeInfer { get; } = new();
    public DurationCounter ComputeOutput { get; } = new();

    /// <summary>End-to-end request time of every request, successful or not (nv_inference_request_duration_us).</summary>
    public DurationCounter Request { get; } = new();

    public ConcurrentDictionary<int, BatchStatistics> Batches { get; } = new();

    public long InferenceCount => Interlocked.Read(ref _inferenceCount);
    public long ExecutionCount => Interlocked.Read(ref _executionCount);
    public long LastInferenceMs => Interlocked.Read(ref _lastInferenceMs);
    public long PendingRequests => Interlocked.Read(ref _pending);

    public long Failures(FailureReason reason) => Interlocked.Read(ref _failures[(int)reason]);

    internal void Enqueued() => Interlocked.Increment(ref _pending);

    internal void Dequeued() => Interlocked.Decrement(ref _pending);

    internal void RecordExecution(int batchSize, TimeSpan input, TimeSpan infer, TimeSpan output, long nowUnixMs)
    {
        Interlocked.Increment(ref _executionCount);
        Interlocked.Add(ref _inferenceCount, batchSize);
        Interlocked.Exchange(ref _lastInferenceMs, nowUnixMs);
        var batch = Batches.GetOrAdd(batchSize, static _ => new BatchStatistics());
        batch.ComputeInput.Add(input);
        batch.ComputeInfer.Add(infer);
        batch.ComputeOutput.Add(output);
    }

    internal void RecordFailure(FailureReason reason, TimeSpan duration)
    {
        Interlocked.Increment(ref _failures[(int)reason]);
        Fail.Add(duration);
        Request.Add(duration);
    }

    internal void RecordSuccess(TimeSpan duration, TimeSpan queue, TimeSpan input, TimeSpan infer, TimeSpan output)
    {
        Success.Add(duration);
        Request.Add(duration);
        Queue.Add(queue);
        ComputeInput.Add(input);
        ComputeInfer.Add(infer);
        ComputeOutput.Add(output);
    }
}
