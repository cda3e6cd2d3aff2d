using System.Runtime.InteropServices;

namespace HealthAI.OnnxRuntime.Native;

/// <summary>
/// A SafeHandle over one ORT object. Every handle counts itself in <see cref="OrtHandleCounts"/> while it is live, so tests and
/// benchmarks can prove that a loop of runs leaves nothing behind.
/// </summary>
internal abstract class OrtHandle : SafeHandle
{
    private readonly OrtHandleKind _kind;

    protected OrtHandle(OrtHandleKind kind)
        : base(0, ownsHandle: true) => _kind = kind;

    public override bool IsInvalid => handle == 0;

    /// <summary>Takes ownership of a pointer ORT just handed out.</summary>
    public void Attach(nint pointer)
    {
        SetHandle(pointer);
        if (pointer != 0)
        {
            OrtHandleCounts.Created(_kind);
        }
    }

    protected sealed override bool ReleaseHandle()
    {
        Release(handle);
        OrtHandleCounts.Released(_kind);
        return true;
    }

    protected abstract void Release(nint pointer);
}

internal sealed class OrtEnvHandle() : OrtHandle(OrtHandleKind.Env)
{
    protected override void Release(nint pointer) => OrtApi.ReleaseEnv(pointer);
}

internal sealed class OrtSessionHandle() : OrtHandle(OrtHandleKind.Session)
{
    /// <summary>
    /// Runs once the session itself is gone: frees what runs in flight were still using (native names) and lets go of the
    /// environment, which must outlive every session.
    /// </summary>
    public Action? AfterRelease { get; set; }

    protected override void Release(nint pointer)
    {
        OrtApi.ReleaseSession(pointer);
        AfterRelease?.Invoke();
    }
}

internal sealed class OrtSessionOptionsHandle() : OrtHandle(OrtHandleKind.SessionOptions)
{
    protected override void Release(nint pointer) => OrtApi.ReleaseSessionOptions(pointer);
}

internal sealed class OrtValueHandle() : OrtHandle(OrtHandleKind.Value)
{
    protected override void Release(nint pointer) => OrtApi.ReleaseValue(pointer);
}

internal sealed class OrtMemoryInfoHandle() : OrtHandle(OrtHandleKind.MemoryInfo)
{
    protected override void Release(nint pointer) => OrtApi.ReleaseMemoryInfo(pointer);
}

internal sealed class OrtRunOptionsHandle() : OrtHandle(OrtHandleKind.RunOptions)
{
    protected override void Release(nint pointer) => OrtApi.ReleaseRunOptions(pointer);
}

internal sealed class OrtTypeInfoHandle() : OrtHandle(OrtHandleKind.TypeInfo)
{
    protected override void Release(nint pointer) => OrtApi.ReleaseTypeInfo(pointer);
}

internal sealed class OrtTensorTypeAndShapeInfoHandle() : OrtHandle(OrtHandleKind.TensorTypeAndShapeInfo)
{
    protected override void Release(nint pointer) => OrtApi.ReleaseTensorTypeAndShapeInfo(pointer);
}
