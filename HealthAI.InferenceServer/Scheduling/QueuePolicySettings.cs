using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Scheduling;

/// <summary>The queue rules of one model version (config default_queue_policy plus the server's own bound).</summary>
/// <param name="MaxQueueSize">Requests beyond this are rejected at once with UNAVAILABLE; never 0 here (the server bounds every queue).</param>
/// <param name="DefaultTimeout">Zero for none.</param>
/// <param name="AllowTimeoutOverride">Requests may lower the timeout with their <c>timeout</c> parameter.</param>
/// <param name="RejectOnTimeout">False for <c>timeout_action: DELAY</c>: an expired request stays queued.</param>
public sealed record QueuePolicySettings(int MaxQueueSize, TimeSpan DefaultTimeout, bool AllowTimeoutOverride, bool RejectOnTimeout)
{
    public static QueuePolicySettings From(ModelQueuePolicy? policy, int serverMaxQueueSize)
    {
        if (policy is null)
        {
            return new QueuePolicySettings(serverMaxQueueSize, TimeSpan.Zero, true, true);
        }

        var max = policy.MaxQueueSize == 0 ? serverMaxQueueSize : (int)Math.Min(policy.MaxQueueSize, (uint)serverMaxQueueSize);
        return new QueuePolicySettings(
            max,
            TimeSpan.FromMicroseconds(policy.DefaultTimeoutMicroseconds),
            policy.AllowTimeoutOverride,
            policy.TimeoutAction == ModelQueuePolicy.Types.TimeoutAction.Reject);
    }

    /// <summary>The timeout a request gets: the default, lowered by the request where the policy allows it.</summary>
    public TimeSpan EffectiveTimeout(long requestTimeoutMicroseconds)
    {
        if (requestTimeoutMicroseconds <= 0)
        {
            return DefaultTimeout;
        }

        var requested = TimeSpan.FromMicroseconds(requestTimeoutMicroseconds);
        if (DefaultTimeout == TimeSpan.Zero)
        {
            return requested;
        }

        return AllowTimeoutOverride && requested < DefaultTimeout ? requested : DefaultTimeout;
    }
}
