using System.Buffers.Binary;
using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Scheduling;
using HealthAI.KServe.Protocol.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthAI.InferenceServer.Tests;

/// <summary>Triton's priority levels and preserve_ordering in the scheduler, with test backends and a manual clock.</summary>
public sealed class SchedulerPolicyTests : IAsyncDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly RecordingBackend _recording = new();
    private readonly GatedBackend _gated = new();
    private ModelScheduler? _scheduler;

    private ModelScheduler Start(IModelBackend backend, BatchingPolicy policy, PrioritySettings? priorities = null, int instances = 1,
        QueuePolicySettings? queue = null)
    {
        var config = new ModelConfig { Name = "m", Backend = "test", MaxBatchSize = 8 };
        config.Output.Add(new ModelOutput { Name = "out", DataType = DataType.TypeInt64 });
        var context = new ModelLoadContext("m", 1, config, "/nowhere");
        _scheduler = new ModelScheduler("m", 1, policy, queue ?? new QueuePolicySettings(100, TimeSpan.Zero, true, true),
            [.. Enumerable.Range(0, instances).Select(i => backend.CreateInstance(context, i))], ["out"],
            new ModelVersionStatistics(), _time, NullLogger.Instance, priorities);
        return _scheduler;
    }

    private static Task<InferTensor[]> Enqueue(ModelScheduler scheduler, long value, ulong priority = 0)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(data, value);
        return scheduler.EnqueueAsync([new InferTensor("in", "INT64", [1, 1], data)], 1, ShapeKey.Of(1), 0, priority, CancellationToken.None);
    }

    private static long Value(InferTensor[] result) => BinaryPrimitives.ReadInt64LittleEndian(result[0].Data.Span);

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(2, timeout.Token);
        }
    }

    private static PrioritySettings Levels(int levels, int defaultLevel) => new(levels, defaultLevel, new Dictionary<int, QueuePolicySettings>());

    [Fact]
    public async Task A_higher_priority_request_is_dequeued_before_earlier_lower_priority_ones()
    {
        var scheduler = Start(_recording, BatchingPolicy.Unbatched, Levels(3, 2));
        _recording.Block();
        var running = Enqueue(scheduler, 0);
        await _recording.Started.WaitAsync(TimeSpan.FromSeconds(20));

        // Levels: 10 -> 3, 20 -> default 2, 30 -> 1, 40 -> 2, 50 -> beyond the levels, so the default 2.
        var queued = new[] { Enqueue(scheduler, 10, 3), Enqueue(scheduler, 20), Enqueue(scheduler, 30, 1), Enqueue(scheduler, 40, 2), Enqueue(scheduler, 50, 7) };
        await WaitUntil(() => scheduler.QueueLength == 5);
        _recording.Unblock();
        await running;
        await Task.WhenAll(queued);

        Assert.Equal([0L, 30, 20, 40, 50, 10], _recording.BatchValues.Select(v => Assert.Single(v)));
    }

    [Fact]
    public async Task A_batch_takes_the_highest_level_first_then_fills_from_lower_levels()
    {
        var scheduler = Start(_recording, new BatchingPolicy(true, 8, [4], TimeSpan.Zero), Levels(2, 2));
        _recording.Block();
        var running = Enqueue(scheduler, 0);
        await _recording.Started.WaitAsync(TimeSpan.FromSeconds(20));

        var queued = new[] { Enqueue(scheduler, 1), Enqueue(scheduler, 2), Enqueue(scheduler, 3, 1), Enqueue(scheduler, 4, 1), Enqueue(scheduler, 5, 1) };
        await WaitUntil(() => scheduler.QueueLength == 5);
        _recording.Unblock();
        await running;
        var results = await Task.WhenAll(queued);

        Assert.Equal([[0L], [3L, 4, 5, 1], [2L]], _recording.BatchValues);
        Assert.Equal([1L, 2, 3, 4, 5], results.Select(Value));
    }

    [Fact]
    public async Task Without_priority_levels_the_priority_parameter_is_ignored()
    {
        var scheduler = Start(_recording, BatchingPolicy.Unbatched);
        _recording.Block();
        var running = Enqueue(scheduler, 0);
        await _recording.Started.WaitAsync(TimeSpan.FromSeconds(20));
        var queued = new[] { Enqueue(scheduler, 1, 5), Enqueue(scheduler, 2, 1) };
        await WaitUntil(() => scheduler.QueueLength == 2);
        _recording.Unblock();
        await running;
        await Task.WhenAll(queued);

        Assert.Equal([0L, 1, 2], _recording.BatchValues.Select(v => Assert.Single(v)));
    }

    [Fact]
    public async Task Each_level_has_its_own_queue_policy()
    {
        var batching = new ModelDynamicBatching { PriorityLevels = 2, DefaultPriorityLevel = 2 };
        batching.PriorityQueuePolicy.Add(1, new ModelQueuePolicy { MaxQueueSize = 1 });
        var scheduler = Start(_recording, BatchingPolicy.Unbatched, PrioritySettings.From(batching, 100));
        _recording.Block();
        var running = Enqueue(scheduler, 0);
        await _recording.Started.WaitAsync(TimeSpan.FromSeconds(20));

        var high = Enqueue(scheduler, 1, 1);
        var rejected = await Assert.ThrowsAsync<InferenceException>(() => Enqueue(scheduler, 2, 1));
        var low = new[] { Enqueue(scheduler, 3), Enqueue(scheduler, 4) };

        Assert.Equal("Exceeds maximum queue size", rejected.Message);
        Assert.Equal(3, scheduler.QueueLength);
        _recording.Unblock();
        await Task.WhenAll([running, high, .. low]);
    }

    [Theory]
    [InlineData(2UL, 0UL, "default_priority_level must be in range [1, 2], got 0")]
    [InlineData(2UL, 3UL, "default_priority_level must be in range [1, 2], got 3")]
    public void Invalid_priority_fields_fail_the_model_naming_the_field(ulong levels, ulong defaultLevel, string message)
    {
        var batching = new ModelDynamicBatching { PriorityLevels = levels, DefaultPriorityLevel = defaultLevel };

        var ex = Assert.Throws<InvalidDataException>(() => PrioritySettings.From(batching, 100));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_queue_policy_for_a_level_that_does_not_exist_is_an_error()
    {
        var batching = new ModelDynamicBatching { PriorityLevels = 2, DefaultPriorityLevel = 1 };
        batching.PriorityQueuePolicy.Add(3, new ModelQueuePolicy { MaxQueueSize = 1 });

        var ex = Assert.Throws<InvalidDataException>(() => PrioritySettings.From(batching, 100));

        Assert.Contains("priority_queue_policy has level 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_preserve_ordering_a_later_batch_that_finishes_first_waits_for_the_earlier_one()
    {
        var scheduler = Start(_gated, new BatchingPolicy(true, 8, [1], TimeSpan.Zero, PreserveOrdering: true), instances: 2);
        var first = Enqueue(scheduler, 1);
        await _gated.Started.WaitAsync(TimeSpan.FromSeconds(20));
        var second = Enqueue(scheduler, 2);
        await _gated.Started.WaitAsync(TimeSpan.FromSeconds(20));

        _gated.Open(2);
        await WaitUntil(() => scheduler.Statistics.Success.Count == 1);
        var early = await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken));

        Assert.NotSame(second, early);
        Assert.False(first.IsCompleted);
        _gated.Open(1);
        Assert.Equal(1, Value(await first));
        Assert.Equal(2, Value(await second));
    }

    [Fact]
    public async Task Without_preserve_ordering_a_later_batch_that_finishes_first_is_answered_at_once()
    {
        var scheduler = Start(_gated, new BatchingPolicy(true, 8, [1], TimeSpan.Zero), instances: 2);
        var first = Enqueue(scheduler, 1);
        await _gated.Started.WaitAsync(TimeSpan.FromSeconds(20));
        var second = Enqueue(scheduler, 2);
        await _gated.Started.WaitAsync(TimeSpan.FromSeconds(20));

        _gated.Open(2);

        Assert.Equal(2, Value(await second.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken)));
        Assert.False(first.IsCompleted);
        _gated.Open(1);
        Assert.Equal(1, Value(await first));
    }

    [Fact]
    public async Task With_preserve_ordering_a_failed_batch_still_releases_the_ones_behind_it()
    {
        var scheduler = Start(_gated, new BatchingPolicy(true, 8, [1], TimeSpan.Zero, PreserveOrdering: true), instances: 2);
        var first = scheduler.EnqueueAsync([new InferTensor("in", "INT64", [1, 0], Array.Empty<byte>())], 1, ShapeKey.Of(0), 0, CancellationToken.None);
        var second = Enqueue(scheduler, 2);
        _gated.Open(2);

        // The empty tensor makes the gated backend throw (it reads a value that is not there): the error is answered in turn.
        await Assert.ThrowsAsync<InferenceException>(() => first);
        Assert.Equal(2, Value(await second));
    }

    public async ValueTask DisposeAsync()
    {
        _recording.Unblock();
        _gated.OpenAll();
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync();
        }

        _recording.Dispose();
    }
}
