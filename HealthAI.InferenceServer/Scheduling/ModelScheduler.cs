using System.Collections.Concurrent;
using HealthAI.InferenceServer.Execution;

namespace HealthAI.InferenceServer.Scheduling;

/// <summary>
/// Queue, dynamic batcher and instance pool of one model version. One loop forms batches: it waits for a free instance, then
/// asks <see cref="BatchPlanner"/> what to send, sleeping (on the injected <see cref="TimeProvider"/>) until the queue delay
/// runs out or a request arrives. Each batch runs on its own instance; requests get their own slices of the outputs.
/// </summary>
public sealed class ModelScheduler : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<Pending> _queue = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentStack<IModelInstance> _free;
    private readonly IReadOnlyList<IModelInstance> _instances;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _modelName;
    private readonly long _version;
    private readonly BatchingPolicy _policy;
    private readonly QueuePolicySettings _queuePolicy;
    private readonly string[] _outputNames;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private QueuedItem[] _planBuffer = new QueuedItem[8];
    private bool _accepting = true;
    private int _disposed;

    public ModelScheduler(string modelName, long version, BatchingPolicy policy, QueuePolicySettings queuePolicy,
        IReadOnlyList<IModelInstance> instances, IReadOnlyList<string> outputNames, ModelVersionStatistics statistics,
        TimeProvider timeProvider, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfZero(instances.Count);
        _modelName = modelName;
        _version = version;
        _policy = policy;
        _queuePolicy = queuePolicy;
        _instances = instances;
        _free = new ConcurrentStack<IModelInstance>(instances);
        _slots = new SemaphoreSlim(instances.Count);
        _outputNames = [.. outputNames];
        Statistics = statistics;
        _time = timeProvider;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public ModelVersionStatistics Statistics { get; }

    /// <summary>Requests waiting for a batch.</summary>
    public int QueueLength
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Queues a request whose inputs are in model input order and returns every model output for it, in
    /// <c>outputNames</c> order. Throws <see cref="InferenceException"/> (UNAVAILABLE) when the queue is full or the request
    /// waited past its timeout; cancels when <paramref name="cancellationToken"/> fires while it is still queued.
    /// </summary>
    public Task<InferTensor[]> EnqueueAsync(IReadOnlyList<InferTensor> inputs, int batchSize, ShapeKey shapeKey,
        long timeoutMicroseconds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetTimestamp();
        var timeout = _queuePolicy.EffectiveTimeout(timeoutMicroseconds);
        var pending = new Pending(inputs, batchSize, shapeKey, now,
            timeout > TimeSpan.Zero ? now + (long)(timeout.TotalSeconds * _time.TimestampFrequency) : long.MaxValue);
        lock (_gate)
        {
            if (!_accepting)
            {
                throw InferenceException.Unavailable($"model '{_modelName}' version {_version} is unloading");
            }

            if (_queue.Count >= _queuePolicy.MaxQueueSize)
            {
                Statistics.RecordFailure(FailureReason.Rejected, TimeSpan.Zero);
                Log.QueueFull(_logger, _modelName, _version, _queue.Count);
                throw InferenceException.Unavailable("Exceeds maximum queue size");
            }

            _queue.Add(pending);
            Statistics.Enqueued();
        }

        if (cancellationToken.CanBeCanceled)
        {
            pending.Registration = cancellationToken.Register(static state =>
            {
                var (scheduler, request, token) = ((ModelScheduler, Pending, CancellationToken))state!;
                scheduler.CancelQueued(request, token);
            }, (this, pending, cancellationToken));
        }

        _wake.Release();
        return pending.Completion.Task;
    }

    /// <summary>
    /// Stops taking requests, lets queued and running ones finish, then disposes the instances. When
    /// <paramref name="cancellationToken"/> fires first, requests still queued fail with UNAVAILABLE.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _accepting = false;
        }

        _wake.Release();
        try
        {
            await _loop.WaitAsync(cancellationToken);
            for (var i = 0; i < _instances.Count; i++)
            {
                await _slots.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            await _stop.CancelAsync();
            FailAllQueued(InferenceException.Unavailable($"model '{_modelName}' version {_version} was unloaded"));
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting: nothing else to finish.
        }

        FailAllQueued(InferenceException.Unavailable($"model '{_modelName}' version {_version} was unloaded"));
        foreach (var instance in _instances)
        {
            instance.Dispose();
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            await _slots.WaitAsync(stop);
            List<Pending>? batch = null;
            while (batch is null)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    ExpireTimedOut();
                    if (_queue.Count == 0 && !_accepting)
                    {
                        _slots.Release();
                        return;
                    }

                    var decision = Plan();
                    if (decision.TakeNow)
                    {
                        batch = _queue.GetRange(0, decision.Count);
                        _queue.RemoveRange(0, decision.Count);
                        foreach (var request in batch)
                        {
                            request.Taken = true;
                            Statistics.Dequeued();
                        }

                        break;
                    }

                    wait = LimitByDeadlines(decision.Wait);
                }

                await WaitForArrivalAsync(wait, stop);
            }

            _free.TryPop(out var instance);
            _ = Task.Run(() => Execute(batch, instance!), CancellationToken.None);
        }
    }

    private BatchDecision Plan()
    {
        if (_queue.Count == 0)
        {
            return BatchDecision.WaitForArrival;
        }

        // The planner never looks further than the batch capacity, so a short snapshot is enough.
        var length = Math.Min(_queue.Count, Math.Max(1, _policy.Capacity) + 1);
        if (_planBuffer.Length < length)
        {
            _planBuffer = new QueuedItem[length];
        }

        var items = _planBuffer.AsSpan(0, length);
        for (var i = 0; i < length; i++)
        {
            items[i] = new QueuedItem(_queue[i].BatchSize, _queue[i].ShapeKey);
        }

        var oldestWaited = _time.GetElapsedTime(_queue[0].EnqueuedAt);
        return BatchPlanner.Plan(items, _policy, oldestWaited);
    }

    private void ExpireTimedOut()
    {
        if (!_queuePolicy.RejectOnTimeout)
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
                Statistics.Dequeued();
                Statistics.RecordFailure(FailureReason.Rejected, _time.GetElapsedTime(request.EnqueuedAt));
                request.Registration.Dispose();
                request.Completion.TrySetException(InferenceException.Unavailable("Request timeout expired"));
            }
        }
    }

    private TimeSpan LimitByDeadlines(TimeSpan wait)
    {
        if (!_queuePolicy.RejectOnTimeout)
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

    private async Task WaitForArrivalAsync(TimeSpan wait, CancellationToken stop)
    {
        if (wait == Timeout.InfiniteTimeSpan)
        {
            await _wake.WaitAsync(stop);
            return;
        }

        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var race = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var arrival = _wake.WaitAsync(race.Token);
        var delay = Task.Delay(wait, _time, race.Token);
        await Task.WhenAny(arrival, delay);
        await race.CancelAsync();
        try
        {
            await Task.WhenAll(arrival, delay);
        }
        catch (OperationCanceledException)
        {
            // One of the two lost the race.
        }

        stop.ThrowIfCancellationRequested();
    }

    private void Execute(List<Pending> batch, IModelInstance instance)
    {
        var started = _time.GetTimestamp();
        try
        {
            var inputCount = batch[0].Inputs.Count;
            var perRequestInputs = new IReadOnlyList<InferTensor>[batch.Count];
            var sizes = new int[batch.Count];
            var total = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                perRequestInputs[i] = batch[i].Inputs;
                sizes[i] = batch[i].BatchSize;
                total += sizes[i];
            }

            var inputs = new InferTensor[inputCount];
            for (var i = 0; i < inputCount; i++)
            {
                inputs[i] = BatchAssembler.Concatenate(perRequestInputs, i);
            }

            var inputDone = _time.GetTimestamp();
            var outputs = instance.Execute(inputs, _outputNames, CancellationToken.None);
            var inferDone = _time.GetTimestamp();

            var results = new InferTensor[batch.Count][];
            for (var r = 0; r < batch.Count; r++)
            {
                results[r] = new InferTensor[outputs.Count];
            }

            for (var o = 0; o < outputs.Count; o++)
            {
                var parts = BatchAssembler.Split(outputs[o], sizes);
                for (var r = 0; r < batch.Count; r++)
                {
                    results[r][o] = parts[r];
                }
            }

            var outputDone = _time.GetTimestamp();
            TimeSpan input = _time.GetElapsedTime(started, inputDone), infer = _time.GetElapsedTime(inputDone, inferDone),
                output = _time.GetElapsedTime(inferDone, outputDone);
            Statistics.RecordExecution(total, input, infer, output, _time.GetUtcNow().ToUnixTimeMilliseconds());
            Log.BatchExecuted(_logger, _modelName, _version, batch.Count, total, inputs[0].ShapeText);
            for (var r = 0; r < batch.Count; r++)
            {
                var request = batch[r];
                request.Registration.Dispose();
                Statistics.RecordSuccess(_time.GetElapsedTime(request.EnqueuedAt), _time.GetElapsedTime(request.EnqueuedAt, started),
                    input, infer, output);
                request.Completion.TrySetResult(results[r]);
            }
        }
        catch (Exception ex)
        {
            Log.ExecutionFailed(_logger, _modelName, _version, batch.Count, ex.GetType().Name);
            var error = ex as InferenceException
                ?? new InferenceException(TritonErrorKind.Internal, $"model '{_modelName}' failed to execute the batch ({ex.GetType().Name})");
            foreach (var request in batch)
            {
                request.Registration.Dispose();
                Statistics.RecordFailure(FailureReason.Backend, _time.GetElapsedTime(request.EnqueuedAt));
                request.Completion.TrySetException(error);
            }
        }
        finally
        {
            _free.Push(instance);
            _slots.Release();
        }
    }

    private void CancelQueued(Pending request, CancellationToken token)
    {
        lock (_gate)
        {
            if (request.Taken || !_queue.Remove(request))
            {
                return;
            }

            Statistics.Dequeued();
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
        }

        foreach (var request in remaining)
        {
            Statistics.Dequeued();
            Statistics.RecordFailure(FailureReason.Other, _time.GetElapsedTime(request.EnqueuedAt));
            request.Completion.TrySetException(error);
        }
    }

    private sealed class Pending(IReadOnlyList<InferTensor> inputs, int batchSize, ShapeKey shapeKey, long enqueuedAt, long deadline)
    {
        public IReadOnlyList<InferTensor> Inputs { get; } = inputs;
        public int BatchSize { get; } = batchSize;
        public ShapeKey ShapeKey { get; } = shapeKey;
        public long EnqueuedAt { get; } = enqueuedAt;
        public long Deadline { get; } = deadline;
        public TaskCompletionSource<InferTensor[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Registration { get; set; }
        public bool Taken { get; set; }
    }
}
