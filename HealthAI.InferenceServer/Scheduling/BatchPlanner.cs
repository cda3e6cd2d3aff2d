namespace HealthAI.InferenceServer.Scheduling;

/// <summary>How one model version batches, taken from its config.</summary>
/// <param name="Enabled">False without <c>dynamic_batching</c>: every request runs alone.</param>
/// <param name="MaxBatchSize">The config's <c>max_batch_size</c>.</param>
/// <param name="PreferredSizes">Ascending; Triton normalizes an empty list to <c>[max_batch_size]</c>.</param>
/// <param name="MaxQueueDelay">How long the oldest request may wait for a batch to fill.</param>
/// <param name="PreserveOrdering">Triton's <c>preserve_ordering</c>: responses leave in the order requests were taken from the
/// queue, even when batches on several instances finish out of order.</param>
/// <param name="Ragged">Set when the model opts in to padding requests of different sequence lengths into one batch.</param>
public sealed record BatchingPolicy(bool Enabled, int MaxBatchSize, int[] PreferredSizes, TimeSpan MaxQueueDelay,
    bool PreserveOrdering = false, RaggedBatching? Ragged = null)
{
    public static readonly BatchingPolicy Unbatched = new(false, 1, [1], TimeSpan.Zero);

    /// <summary>The batcher never forms batches above the largest preferred size (Triton's max_preferred_batch_size).</summary>
    public int Capacity => PreferredSizes.Length == 0 ? MaxBatchSize : PreferredSizes[^1];
}

/// <summary>What the batcher needs to know about a queued request.</summary>
/// <param name="BatchSize">Dimension 0 of the request's inputs.</param>
/// <param name="ShapeKey">Requests share a batch only when their keys are equal (same non-batch shapes).</param>
public readonly record struct QueuedItem(int BatchSize, ShapeKey ShapeKey);

/// <summary>Either take the first <see cref="Count"/> queued requests now, or wait up to <see cref="Wait"/> for more.</summary>
public readonly record struct BatchDecision(int Count, TimeSpan Wait)
{
    public static readonly BatchDecision WaitForArrival = new(0, Timeout.InfiniteTimeSpan);

    public bool TakeNow => Count > 0;
}

/// <summary>
/// Triton's dynamic batcher decision (core dynamic_batch_scheduler.cc GetDynamicBatch), as a pure function so tests can pin
/// batch formation exactly: scan the queue in order while shapes match and the batch fits; send the largest preferred size at
/// once; send everything when the batch cannot grow (capacity reached, next request differs in shape), when the delay is zero
/// or when the oldest request has waited the whole delay; otherwise wait out the remaining delay.
/// </summary>
public static class BatchPlanner
{
    public static BatchDecision Plan(ReadOnlySpan<QueuedItem> queue, BatchingPolicy policy, TimeSpan oldestWaited)
    {
        if (queue.IsEmpty)
        {
            return BatchDecision.WaitForArrival;
        }

        if (!policy.Enabled)
        {
            return new BatchDecision(1, TimeSpan.Zero);
        }

        var capacity = policy.Capacity;
        var total = 0;
        var count = 0;
        var bestPreferredCount = 0;
        var closed = false;
        foreach (var item in queue)
        {
            if (count > 0 && (!item.ShapeKey.Equals(queue[0].ShapeKey) || total + item.BatchSize > capacity))
            {
                closed = true;
                break;
            }

            total += item.BatchSize;
            count++;
            if (Array.BinarySearch(policy.PreferredSizes, total) >= 0)
            {
                bestPreferredCount = count;
            }

            if (total >= capacity)
            {
                break;
            }
        }

        var delayExceeded = oldestWaited >= policy.MaxQueueDelay;
        if (total >= capacity)
        {
            return new BatchDecision(count, TimeSpan.Zero);
        }

        if (bestPreferredCount > 0 && !delayExceeded)
        {
            return new BatchDecision(bestPreferredCount, TimeSpan.Zero);
        }

        if (closed || delayExceeded || policy.MaxQueueDelay <= TimeSpan.Zero)
        {
            return new BatchDecision(count, TimeSpan.Zero);
        }

        return new BatchDecision(0, policy.MaxQueueDelay - oldestWaited);
    }
}
