using HealthAI.InferenceServer.Execution;

namespace HealthAI.InferenceServer.Scheduling;

/// <summary>The queue itself: insertion by priority level, taking batches, expiry, cancellation. Callers hold <c>_gate</c>.</summary>
public sealed partial class ModelScheduler
{
    private readonly Queue<Pending> _ordered = new();
    private readonly object _orderGate = new();

    /// <summary>Keeps the queue sorted by level (1 = highest first), arrival order within a level.</summary>
    private void InsertLocked(Pending request)
    {
        if (_queue.Count == 0 || _queue[^1].Level <= request.Level)
        {
            _queue.Add(request);
        }
        else
        {
            int low = 0, high = _queue.Count;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (_queue[middle].Level <= request.Level)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            _queue.Insert(low, request);
        }

        _levelCounts[request.Level]++;
        if (request.Deadline != long.MaxValue)
        {
            _withDeadline++;
        }
    }

    private void RemovedLocked(Pending request)
    {
        _levelCounts[request.Level]--;
        if (request.Deadline != long.MaxValue)
        {
            _withDeadline--;
        }

        Statistics.Dequeued();
    }

    /// <summary>Takes the first <paramref name="count"/> requests as a batch; under preserve_ordering they get their turn to answer.</summary>
    private List<Pending> TakeLocked(int count)
    {
        var batch = _queue.GetRange(0, count);
        _queue.RemoveRange(0, count);
        foreach (var request in batch)
        {
            request.Taken = true;
            RemovedLocked(request);
        }

        if (_policy.PreserveOrdering)
        {
            lock (_orderGate)
            {
                foreach (var request in batch)
                {
                    _ordered.Enqueue(request);
                }
            }
        }

        return batch;
    }

    private void ExpireTimedOut()
    {
        if (_withDeadline == 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        for (var i = _queue.Count - 1; i >= 0; i--)
        {
            var request = _queue[i];
            if (request.Deadline <= now)
            {
                _queue.RemoveAt(i);
                RemovedLocked(request);
                Statistics.RecordFailure(FailureReason.Rejected, _time.GetElapsedTime(request.EnqueuedAt));
                request.Registration.Dispose();
                request.Completion.TrySetException(InferenceException.Unavailable("Request timeout expired"));
            }
        }
    }

    private TimeSpan LimitByDeadlines(TimeSpan wait)
    {
        if (_withDeadline == 0)
        {
            return wait;
        }

        var now = _time.GetTimestamp();
        foreach (var request in _queue)
        {
            if (request.Deadline != long.MaxValue)
            {
                var untilDeadline = TimeSpan.FromSeconds((double)(request.Deadline - now) / _time.TimestampFrequency);
                if (wait == Timeout.InfiniteTimeSpan || untilDeadline < wait)
                {
                    wait = untilDeadline < TimeSpan.Zero ? TimeSpan.Zero : untilDeadline;
                }
            }
        }

        return wait;
    }

    private void CancelQueued(Pending request, CancellationToken token)
    {
        lock (_gate)
        {
            if (request.Taken || !_queue.Remove(request))
            {
                return;
            }

            RemovedLocked(request);
        }

        Statistics.RecordFailure(FailureReason.Canceled, _time.GetElapsedTime(request.EnqueuedAt));
        request.Completion.TrySetCanceled(token);
        _wake.Release();
    }

    private void FailAllQueued(InferenceException error)
    {
        List<Pending> remaining;
        lock (_gate)
        {
            remaining = [.. _queue];
            _queue.Clear();
            foreach (var request in remaining)
            {
                RemovedLocked(request);
            }
        }

        foreach (var request in remaining)
        {
            Statistics.RecordFailure(FailureReason.Other, _time.GetElapsedTime(request.EnqueuedAt));
            request.Completion.TrySetException(error);
        }
    }

    private sealed class Pending(IReadOnlyList<InferTensor> inputs, int batchSize, ShapeKey shapeKey, int level, long enqueuedAt, long deadline)
    {
        public IReadOnlyList<InferTensor> Inputs { get; } = inputs;
        public int BatchSize { get; } = batchSize;
        public ShapeKey ShapeKey { get; } = shapeKey;
        public int Level { get; } = level;
        public long EnqueuedAt { get; } = enqueuedAt;

        /// <summary>When the request is rejected if still queued; <see cref="long.MaxValue"/> for never.</summary>
        public long Deadline { get; } = deadline;
        public TaskCompletionSource<InferTensor[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Registration { get; set; }
        public bool Taken { get; set; }

        // Held back here under preserve_ordering until every request taken before this one has its answer.
        public bool Finished { get; set; }
        public InferTensor[]? Result { get; set; }
        public Exception? Error { get; set; }
    }
}
