using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Scheduling;

/// <summary>
/// Triton's request priorities (dynamic_batching <c>priority_levels</c>, <c>default_priority_level</c>,
/// <c>priority_queue_policy</c>): level 1 is the highest; a request without a priority, or with one above the number of
/// levels, gets the default level (core InferenceRequest::PrepareForInference). Without levels every request is level 0.
/// </summary>
public sealed class PrioritySettings
{
    public static readonly PrioritySettings None = new(0, 0, new Dictionary<int, QueuePolicySettings>());

    private readonly IReadOnlyDictionary<int, QueuePolicySettings> _levelPolicies;

    public PrioritySettings(int levels, int defaultLevel, IReadOnlyDictionary<int, QueuePolicySettings> levelPolicies)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(levels);
        if (levels > 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(defaultLevel, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(defaultLevel, levels);
        }

        Levels = levels;
        DefaultLevel = levels == 0 ? 0 : defaultLevel;
        _levelPolicies = levelPolicies;
    }

    /// <summary>Number of levels; 0 when priorities are off.</summary>
    public int Levels { get; }

    public int DefaultLevel { get; }

    /// <summary>The level a request asking for <paramref name="requested"/> (0 = none) is queued at.</summary>
    public int LevelOf(ulong requested) =>
        Levels == 0 ? 0 : requested == 0 || requested > (ulong)Levels ? DefaultLevel : (int)requested;

    /// <summary>The queue policy of a level: its <c>priority_queue_policy</c> entry, else the model's default policy.</summary>
    public QueuePolicySettings PolicyFor(int level, QueuePolicySettings defaultPolicy) =>
        _levelPolicies.TryGetValue(level, out var policy) ? policy : defaultPolicy;

    /// <summary>Reads the priority fields of a model's dynamic batching; invalid values fail the model naming the field.</summary>
    public static PrioritySettings From(ModelDynamicBatching? batching, int serverMaxQueueSize)
    {
        if (batching is null || batching.PriorityLevels == 0)
        {
            return batching is { PriorityQueuePolicy.Count: > 0 }
                ? throw new InvalidDataException("dynamic_batching.priority_queue_policy needs dynamic_batching.priority_levels > 0")
                : None;
        }

        if (batching.PriorityLevels > int.MaxValue)
        {
            throw new InvalidDataException($"dynamic_batching.priority_levels {batching.PriorityLevels} is too large");
        }

        var levels = (int)batching.PriorityLevels;
        if (batching.DefaultPriorityLevel < 1 || batching.DefaultPriorityLevel > (ulong)levels)
        {
            throw new InvalidDataException(
                $"dynamic_batching.default_priority_level must be in range [1, {levels}], got {batching.DefaultPriorityLevel}");
        }

        var policies = new Dictionary<int, QueuePolicySettings>();
        foreach (var (level, policy) in batching.PriorityQueuePolicy)
        {
            if (level < 1 || level > (ulong)levels)
            {
                throw new InvalidDataException(
                    $"dynamic_batching.priority_queue_policy has level {level}, outside [1, {levels}]");
            }

            policies[(int)level] = QueuePolicySettings.From(policy, serverMaxQueueSize);
        }

        return new PrioritySettings(levels, (int)batching.DefaultPriorityLevel, policies);
    }
}
