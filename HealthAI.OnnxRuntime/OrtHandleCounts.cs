namespace HealthAI.OnnxRuntime;

/// <summary>The kinds of native ORT objects this binding owns.</summary>
public enum OrtHandleKind
{
    Env,
    Session,
    SessionOptions,
    Value,
    MemoryInfo,
    RunOptions,
    TypeInfo,
    TensorTypeAndShapeInfo,
}

/// <summary>
/// Live native ORT objects held by this process, per kind: created minus released. A run that leaks a value, a status or a
/// type-info shows up here as a count that keeps growing; a clean binding returns to the same numbers after every run.
/// </summary>
public static class OrtHandleCounts
{
    private static readonly long[] Live = new long[Enum.GetValues<OrtHandleKind>().Length];
    private static long _statusesReleased;

    /// <summary>Live objects of one kind.</summary>
    public static long Get(OrtHandleKind kind) => Interlocked.Read(ref Live[(int)kind]);

    /// <summary>Live objects of every kind together.</summary>
    public static long Total
    {
        get
        {
            long total = 0;
            for (var i = 0; i < Live.Length; i++)
            {
                total += Interlocked.Read(ref Live[i]);
            }

            return total;
        }
    }

    /// <summary>Error statuses read and released so far (each failed call makes one).</summary>
    public static long ErrorStatusesReleased => Interlocked.Read(ref _statusesReleased);

    internal static void Created(OrtHandleKind kind) => Interlocked.Increment(ref Live[(int)kind]);

    internal static void Released(OrtHandleKind kind) => Interlocked.Decrement(ref Live[(int)kind]);

    internal static void StatusReleased() => Interlocked.Increment(ref _statusesReleased);
}
