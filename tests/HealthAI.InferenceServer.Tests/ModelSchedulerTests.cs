using System.Buffers.Binary;
using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Scheduling;
using HealthAI.KServe.Protocol.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthAI.InferenceServer.Tests;

public sealed class ModelSchedulerTests : IAsyncDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly RecordingBackend _backend = new();
    private ModelScheduler? _scheduler;

    private ModelScheduler Start(BatchingPolicy policy, QueuePolicySettings? queue = null, int instances = 1)
    {
        var config = new ModelConfig { Name = "m", Backend = RecordingBackend.Name, MaxBatchSize = 8 };
        config.Output.Add(new ModelOutput { Name = "out", DataType = DataType.TypeInt64 });
        var context = new ModelLoadContext("m", 1, config, "/nowhere");
        _scheduler = new ModelScheduler("m", 1, policy, queue ?? new QueuePolicySettings(100, TimeSpan.Zero, true, true),
            [.. Enumerable.Range(0, instances).Select(i => _backend.CreateInstance(context, i))], ["out"],
            new ModelVersionStatistics(), _time, NullLogger.Instance);
        return _scheduler;
    }

    private static InferTensor Row(long value, int length = 4)
    {
        var data = new byte[length * 8];
        for (var i = 0; i < length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * 8), value);
        }

        return new InferTensor("in", "INT64", [1, length], data);
    }

    private static Task<InferTensor[]> Enqueue(ModelScheduler scheduler, long value, int length = 4, CancellationToken cancellationToken = default) =>
        scheduler.EnqueueAsync([Row(value, length)], 1, ShapeKey.Of(length), 0, cancellationToken);

    /// <summary>Holds the backend, enqueues one request and returns once an instance is running it (and held there).</summary>
    private async Task<Task<InferTensor[]>> StartHeldAsync(ModelScheduler scheduler, long value)
    {
        _backend.Block();
        var running = Enqueue(scheduler, value);
        await _backend.Started.WaitAsync(TimeSpan.FromSeconds(20));
        return running;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(2, timeout.Token);
        }
    }

    [Fact]
    public async Task Holds_a_partial_batch_until_the_oldest_request_waited_the_delay()
    {
        var scheduler = Start(new BatchingPolicy(true, 8, [4, 8], TimeSpan.FromMilliseconds(5)));

        var requests = new[] { Enqueue(scheduler, 10), Enqueue(scheduler, 11), Enqueue(scheduler, 12) };
        await WaitUntil(() => _time.PendingTimers > 0);
        _time.Advance(TimeSpan.FromMilliseconds(4));
        await Task.Delay(20);
        Assert.Empty(_backend.BatchShapes);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var results = await Task.WhenAll(requests);

        Assert.Equal([3L, 4L], Assert.Single(_backend.BatchShapes));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal([1L, 4L], results[i][0].Shape);
            Assert.Equal(10 + i, BinaryPrimitives.ReadInt64LittleEndian(results[i][0].Data.Span));
        }
    }

    [Fact]
    public async Task Sends_a_preferred_batch_without_waiting()
    {
        var scheduler = Start(new BatchingPolicy(true, 8, [4, 8], TimeSpan.FromSeconds(10)));
        _backend.Block();

        // The first request starts alone once the delay is over; four more queue behind it and form a preferred batch.
        var first = Enqueue(scheduler, 0);
        await WaitUntil(() => _time.PendingTimers > 0);
        _time.Advance(TimeSpan.FromSeconds(10));
        await _backend.Started.WaitAsync(TimeSpan.FromSeconds(20));
        var next = Enumerable.Range(1, 4).Select(i => Enqueue(scheduler, i)).ToArray();
        await WaitUntil(() => scheduler.QueueLength == 4);
        _backend.Release(2);

        await first;
        await Task.WhenAll(next);
        Assert.Equal([[1L, 4L], [4L, 4L]], _backend.BatchShapes);
    }

    [Fact]
    public async Task Requests_of_different_shapes_never_share_a_batch()
    {
        var scheduler = Start(new BatchingPolicy(true, 8, [8], TimeSpan.Zero));
        var blocker = await StartHeldAsync(scheduler, 0);

        var queued = new[] { Enqueue(scheduler, 1, 4), Enqueue(scheduler, 2, 4), Enqueue(scheduler, 3, 6), Enqueue(scheduler, 4, 4) };
        await WaitUntil(() => scheduler.QueueLength == 4);
        _backend.Release(4);
        await blocker;
        await Task.WhenAll(queued);

        Assert.Equal([[1L, 4L], [2L, 4L], [1L, 6L], [1L, 4L]], _backend.BatchShapes);
    }

    [Fact]
    public async Task A_full_queue_rejects_at_once_with_unavailable()
    {
        var scheduler = Start(BatchingPolicy.Unbatched, new QueuePolicySettings(2, TimeSpan.Zero, true, true));
        var running = await StartHeldAsync(scheduler, 0);
        var queued = new[] { Enqueue(scheduler, 1), Enqueue(scheduler, 2) };

        var ex = await Assert.ThrowsAsync<InferenceException>(() => Enqueue(scheduler, 3));

        Assert.Equal(TritonErrorKind.Unavailable, ex.Kind);
        Assert.Equal("Exceeds maximum queue size", ex.Message);
        Assert.Equal(1, scheduler.Statistics.Failures(FailureReason.Rejected));
        _backend.Release(3);
        await running;
        await Task.WhenAll(queued);
    }

    [Fact]
    public async Task A_request_that_waits_past_its_timeout_is_rejected()
    {
        var scheduler = Start(BatchingPolicy.Unbatched, new QueuePolicySettings(10, TimeSpan.FromMilliseconds(1), true, true));
        var running = await StartHeldAsync(scheduler, 0);
        var late = Enqueue(scheduler, 1);

        _time.Advance(TimeSpan.FromMilliseconds(2));
        _backend.Release();
        await running;

        var ex = await Assert.ThrowsAsync<InferenceException>(() => late);
        Assert.Equal("Request timeout expired", ex.Message);
        Assert.Equal(TritonErrorKind.Unavailable, ex.Kind);
    }

    [Fact]
    public async Task A_cancelled_request_leaves_the_queue()
    {
        var scheduler = Start(BatchingPolicy.Unbatched);
        var running = await StartHeldAsync(scheduler, 0);
        using var cancel = new CancellationTokenSource();
        var queued = Enqueue(scheduler, 1, cancellationToken: cancel.Token);
        Assert.Equal(1, scheduler.Statistics.PendingRequests);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(0, scheduler.QueueLength);
        Assert.Equal(0, scheduler.Statistics.PendingRequests);
        Assert.Equal(1, scheduler.Statistics.Failures(FailureReason.Canceled));
        _backend.Release();
        await running;
        Assert.Single(_backend.BatchShapes);
    }

    [Fact]
    public async Task Instances_run_batches_in_parallel()
    {
        var scheduler = Start(BatchingPolicy.Unbatched, instances: 2);
        _backend.Block();

        var a = Enqueue(scheduler, 1);
        var b = Enqueue(scheduler, 2);
        await _backend.Started.WaitAsync(TimeSpan.FromSeconds(20));
        await _backend.Started.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, _backend.BatchShapes.Count);
        _backend.Release(2);
        await Task.WhenAll(a, b);
    }

    [Fact]
    public async Task An_instance_that_finishes_runs_the_waiting_requests_back_to_back_without_a_hand_off()
    {
        var scheduler = Start(BatchingPolicy.Unbatched);
        var running = await StartHeldAsync(scheduler, 0);
        var queued = Enumerable.Range(1, 3).Select(i => Enqueue(scheduler, i)).ToArray();
        await WaitUntil(() => scheduler.QueueLength == 3);

        _backend.Unblock();
        await running;
        await Task.WhenAll(queued);

        // The thread that ran the first request took the next three itself, in order.
        Assert.Equal([0L, 1, 2, 3], _backend.BatchValues.Select(v => Assert.Single(v)));
        Assert.Single(_backend.ThreadIds.Distinct());
    }

    [Fact]
    public async Task Batches_run_on_their_instance_s_own_thread_never_on_the_thread_pool()
    {
        var scheduler = Start(BatchingPolicy.Unbatched, instances: 2);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Enqueue(scheduler, i)));

        Assert.Equal(8, _backend.OnThreadPool.Count);
        Assert.All(_backend.OnThreadPool, Assert.False);
        Assert.InRange(_backend.ThreadIds.Distinct().Count(), 1, 2);
    }

    [Fact]
    public async Task Disposing_lets_the_running_batch_finish_before_its_instance_is_disposed()
    {
        var scheduler = Start(BatchingPolicy.Unbatched);
        var running = await StartHeldAsync(scheduler, 7);

        var disposing = scheduler.DisposeAsync().AsTask();
        await Task.Delay(50);
        Assert.False(disposing.IsCompleted);
        _backend.Release();
        await disposing.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(7, BinaryPrimitives.ReadInt64LittleEndian(Assert.Single(await running).Data.Span));
        Assert.False(_backend.DisposedWhileExecuting);
    }

    [Fact]
    public async Task Draining_lets_queued_requests_finish_and_refuses_new_ones()
    {
        var scheduler = Start(BatchingPolicy.Unbatched);
        var running = await StartHeldAsync(scheduler, 0);
        var queued = Enqueue(scheduler, 1);

        var drain = scheduler.DrainAsync(CancellationToken.None);
        var refused = await Assert.ThrowsAsync<InferenceException>(() => Enqueue(scheduler, 2));
        _backend.Release(2);
        await drain;

        Assert.Equal(TritonErrorKind.Unavailable, refused.Kind);
        Assert.Equal(1, BinaryPrimitives.ReadInt64LittleEndian((await queued)[0].Data.Span));
        await running;
    }

    public async ValueTask DisposeAsync()
    {
        _backend.Unblock();
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync();
        }
    }
}
