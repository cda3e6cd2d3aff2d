using HealthAI.InferenceServer.Scheduling;

namespace HealthAI.InferenceServer.Tests;

public class BatchPlannerTests
{
    private static readonly ShapeKey Seq16 = ShapeKey.Of(16);
    private static readonly ShapeKey Seq32 = ShapeKey.Of(32);
    private static readonly BatchingPolicy Preferred4And8 = new(true, 8, [4, 8], TimeSpan.FromMilliseconds(5));

    private static QueuedItem[] Queue(int count, ShapeKey? key = null, int batchSize = 1) =>
        [.. Enumerable.Repeat(new QueuedItem(batchSize, key ?? Seq16), count)];

    [Fact]
    public void Empty_queue_waits_for_an_arrival() =>
        Assert.Equal(BatchDecision.WaitForArrival, BatchPlanner.Plan([], Preferred4And8, TimeSpan.Zero));

    [Fact]
    public void Without_dynamic_batching_each_request_runs_alone() =>
        Assert.Equal(1, BatchPlanner.Plan(Queue(5), BatchingPolicy.Unbatched, TimeSpan.Zero).Count);

    [Fact]
    public void Partial_batch_is_held_for_the_rest_of_the_delay()
    {
        var decision = BatchPlanner.Plan(Queue(3), Preferred4And8, TimeSpan.FromMilliseconds(2));

        Assert.False(decision.TakeNow);
        Assert.Equal(TimeSpan.FromMilliseconds(3), decision.Wait);
    }

    [Fact]
    public void Partial_batch_goes_when_the_oldest_request_has_waited_the_delay() =>
        Assert.Equal(3, BatchPlanner.Plan(Queue(3), Preferred4And8, TimeSpan.FromMilliseconds(5)).Count);

    [Fact]
    public void Largest_preferred_size_goes_at_once()
    {
        Assert.Equal(4, BatchPlanner.Plan(Queue(6), Preferred4And8, TimeSpan.Zero).Count);
        Assert.Equal(8, BatchPlanner.Plan(Queue(11), Preferred4And8, TimeSpan.Zero).Count);
    }

    [Fact]
    public void Preferred_sizes_count_batch_items_not_requests()
    {
        // 2 + 2 reaches preferred 4; the third request (size 5) would overflow the capacity of 8.
        QueuedItem[] queue = [new(2, Seq16), new(2, Seq16), new(5, Seq16)];

        Assert.Equal(2, BatchPlanner.Plan(queue, Preferred4And8, TimeSpan.Zero).Count);
    }

    [Fact]
    public void A_different_shape_closes_the_batch()
    {
        QueuedItem[] queue = [new(1, Seq16), new(1, Seq16), new(1, Seq32), new(1, Seq16)];

        var decision = BatchPlanner.Plan(queue, Preferred4And8, TimeSpan.Zero);

        Assert.Equal(2, decision.Count);
    }

    [Fact]
    public void Zero_delay_sends_whatever_is_queued()
    {
        var policy = Preferred4And8 with { MaxQueueDelay = TimeSpan.Zero };

        Assert.Equal(3, BatchPlanner.Plan(Queue(3), policy, TimeSpan.Zero).Count);
    }

    [Fact]
    public void A_request_larger_than_the_capacity_runs_alone()
    {
        var policy = new BatchingPolicy(true, 16, [4], TimeSpan.FromMilliseconds(5));

        Assert.Equal(1, BatchPlanner.Plan(Queue(2, batchSize: 10), policy, TimeSpan.Zero).Count);
    }
}
