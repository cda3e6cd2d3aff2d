namespace HealthAI.OnnxRuntime;

/// <summary>ORT's graph optimization levels (<c>GraphOptimizationLevel</c>).</summary>
public enum GraphOptimizationLevel
{
    DisableAll = 0,
    Basic = 1,
    Extended = 2,
    All = 99,
}

/// <summary>Whether ORT runs independent graph branches one after another or in parallel on the inter-op pool.</summary>
public enum ExecutionMode
{
    Sequential = 0,
    Parallel = 1,
}

/// <summary>How a session is created. Zero thread counts mean ORT's default (one per physical core).</summary>
public sealed record SessionOptions
{
    /// <summary>Threads that split one operator's work (ORT's intra-op pool). 0 = ORT's default.</summary>
    public int IntraOpNumThreads { get; init; }

    /// <summary>Threads that run independent operators at once in <see cref="ExecutionMode.Parallel"/>. 0 = ORT's default.</summary>
    public int InterOpNumThreads { get; init; }

    public GraphOptimizationLevel GraphOptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.Sequential;

    /// <summary>
    /// Whether idle pool threads busy-wait for the next piece of work. Spinning lowers latency on an idle machine and wastes
    /// cores on a shared one, so it is off by default (<c>session.intra_op.allow_spinning</c> / <c>inter_op</c> = 0).
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>ORT's CPU memory arena (faster repeated runs, memory held until the session closes).</summary>
    public bool EnableCpuMemArena { get; init; } = true;

    /// <summary>Log id ORT uses in its own messages for this session.</summary>
    public string? LogId { get; init; }

    /// <summary>Extra session configuration entries (<c>AddSessionConfigEntry</c>), applied last.</summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpNumThreads, nameof(IntraOpNumThreads));
        ArgumentOutOfRangeException.ThrowIfNegative(InterOpNumThreads, nameof(InterOpNumThreads));
        if (!Enum.IsDefined(GraphOptimizationLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(GraphOptimizationLevel), GraphOptimizationLevel, "Unknown optimization level.");
        }
    }
}
