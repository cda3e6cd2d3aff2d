namespace HealthAI.OnnxRuntime.Native;

/// <summary>Process-wide ORT objects that describe plain CPU memory: the memory info for caller buffers and the default allocator.</summary>
internal static unsafe class OrtCpuMemory
{
    private const int ArenaAllocator = 1;
    private const int MemTypeDefault = 0;

    private static readonly Lazy<OrtMemoryInfoHandle> InfoHandle = new(CreateInfo);
    private static readonly Lazy<nint> Allocator = new(GetAllocator);

    /// <summary>Describes caller-owned CPU buffers wrapped by CreateTensorWithDataAsOrtValue. Lives for the process.</summary>
    public static nint Info => InfoHandle.Value.DangerousGetHandle();

    /// <summary>ORT's default CPU allocator (owned by ORT, never released); frees names ORT hands out.</summary>
    public static nint DefaultAllocator => Allocator.Value;

    private static OrtMemoryInfoHandle CreateInfo()
    {
        OrtApi.EnsureInitialized();
        var handle = new OrtMemoryInfoHandle();
        nint info;
        OrtApi.Check(OrtApi.CreateCpuMemoryInfo(ArenaAllocator, MemTypeDefault, &info));
        handle.Attach(info);
        return handle;
    }

    private static nint GetAllocator()
    {
        OrtApi.EnsureInitialized();
        nint allocator;
        OrtApi.Check(OrtApi.GetAllocatorWithDefaultOptions(&allocator));
        return allocator;
    }
}
