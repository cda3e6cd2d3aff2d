using System.Collections.Concurrent;
using HealthAI.InferenceServer.Execution;

namespace HealthAI.InferenceServer.Scheduling;

/// <summary>
/// Queue, dynamic batcher and instance pool of one model version. One loop forms batches: it waits for a free instance, then
/// asks <see cref="BatchPlanner"/> what to send, sleeping (on the injected <see cref="TimeProvider"/>) until the queue delay
/// runs out or a request arrives. Each batch runs on a free instance, on that instance's own thread (never a thread-pool one),
/// and an instance that finishes takes the next ready batch itself (no hand-off while requests wait); requests get their own
/// slices of the outputs. The queue is ordered by priority level (level 1 first), then by arrival.
/// </summary>
public sealed partial class ModelScheduler : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<Pending> _queue = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentStack<InstanceThread> _free;
    private readonly IReadOnlyList<IModelInstance> _instances;
    private readonly InstanceThread[] _threads;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _modelName;
    private readonly long _version;
    private readonly BatchingPolicy _policy;
    private readonly PrioritySettings _priorities;
    private readonly QueuePolicySettings[] _levelPolicies;
    private readonly int[] _levelCounts;
    private readonly string[] _outputNames;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private QueuedItem[] _planBuffer = new QueuedItem[8];
    private int _withDeadline;
    private bool _accepting = true;
    private int _disposed;

    public ModelScheduler(string modelName, long version, BatchingPolicy policy, QueuePolicySettings queuePolicy,
        IReadOnlyList<IModelInstance> instances, IReadOnlyList<string> outputNames, ModelVersionStatistics statistics,
        TimeProvider timeProvider, ILogger logger, PrioritySettings? priorities = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(instances.Count);
        _modelName = modelName;
        _version = version;
        _policy = policy;
        _priorities = priorities ?? PrioritySettings.None;
        _levelPolicies = new QueuePolicySettings[_priorities.Levels + 1];
        for (var level = 0; level < _levelPolicies.Length; level++)
        {
            _levelPolicies[level] = _priorities.PolicyFor(level, queuePolicy);
        }

        _levelCounts = new int[_levelPolicies.Length];
        _instances = instances;
        _slots = new SemaphoreSlim(instances.Count);
        _outputNames = [.. outputNames];
        Statistics = statistics;
        _time = timeProvider;
        _logger = logger;
        _threads = StartInstanceThreads(instances);
        _free = new ConcurrentStack<InstanceThread>(_threads);
        _loop = Task.Run(RunAsync);
    }

    public ModelVersionStatistics Statistics { get; }

    /// <summary>How this version batches (read by the inference path to key requests for ragged batching).</summary>
    public BatchingPolicy Policy => _policy;

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

    /// <summary>Queues a request at the default priority level; see the overload with a priority.</summary>
    public Task<InferTensor[]> EnqueueAsync(IReadOnlyList<InferTensor> inputs, int batchSize, ShapeKey shapeKey,
        long timeoutMicroseconds, CancellationToken cancellationToken) =>
        EnqueueAsync(inputs, batchSize, shapeKey, timeoutMicroseconds, 0, cancellationToken);

    /// <summary>
    /// Queues a request whose inputs are in model input order and returns every model output for it, in
    /// <c>outputNames</c> order. <paramref name="priority"/> is the request's <c>priority</c> parameter (0 = default level).
    /// Throws <see cref="InferenceException"/> (UNAVAILABLE) when its level's queue is full or the request waited past its
    /// timeout; cancels when <paramref name="cancellationToken"/> fires while it is still queued.
    /// </summary>
    public Task<InferTensor[]> EnqueueAsync(IReadOnlyList<InferTensor> inputs, int batchSize, ShapeKey shapeKey,
        long timeoutMicroseconds, ulong priority, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetTimestamp();
        var level = _priorities.LevelOf(priority);
        var queuePolicy = _levelPolicies[level];
        var timeout = queuePolicy.EffectiveTimeout(timeoutMicroseconds);
        var deadline = timeout > TimeSpan.Zero && queuePolicy.RejectOnTimeout
            ? now + (long)(timeout.TotalSeconds * _time.TimestampFrequency)
            : long.MaxValue;
        var pending = new Pending(inputs, batchSize, shapeKey, level, now, deadline);
        lock (_gate)
        {
            if (!_accepting)
            {
                throw InferenceException.Unavailable($"model '{_modelName}' version {_version} is unloading");
            }

            if (_levelCounts[level] >= queuePolicy.MaxQueueSize)
            {
                Statistics.RecordFailure(FailureReason.Rejected, TimeSpan.Zero);
                Log.QueueFull(_logger, _modelName, _version, _queue.Count);
                throw InferenceException.Unavailable("Exceeds maximum queue size");
            }

            InsertLocked(pending);
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

        // A batch still running finishes (its instance is about to be disposed); its callers get their answers.
        await StopInstanceThreadsAsync();
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
                        batch = TakeLocked(decision.Count);
                        break;
                    }

                    wait = LimitByDeadlines(decision.Wait);
                }

                await WaitForArrivalAsync(wait, stop);
            }

            _free.TryPop(out var thread);
            thread!.Assign(batch);
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
        var head = _queue[0];
        var oldest = head.EnqueuedAt;
        for (var i = 0; i < length; i++)
        {
            var request = _queue[i];
            items[i] = new QueuedItem(request.BatchSize, request.ShapeKey);

            // With priorities the head is not always the oldest request that may join its batch.
            if (request.EnqueuedAt < oldest && request.ShapeKey.Equals(head.ShapeKey))
            {
                oldest = request.EnqueuedAt;
            }
        }

        return BatchPlanner.Plan(items, _policy, _time.GetElapsedTime(oldest));
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
}
