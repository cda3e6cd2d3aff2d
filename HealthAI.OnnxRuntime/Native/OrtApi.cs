using System.Runtime.InteropServices;

namespace HealthAI.OnnxRuntime.Native;

/// <summary>
/// The slice of ORT's C API (<c>OrtApi</c>, a struct of function pointers) this binding calls. The struct is append-only across
/// releases, so each slot index below is fixed forever; indices are from <c>onnxruntime_c_api.h</c>. Every call returns an
/// <c>OrtStatus*</c> that <see cref="Check"/> reads and releases.
/// </summary>
internal static unsafe class OrtApi
{
    /// <summary>The newest API version this binding asks for (ORT 1.30). Older libraries are probed downwards.</summary>
    private const uint NewestApiVersion = 30;

    /// <summary>The oldest version that has every slot used here (AddSessionConfigEntry, slot 130, arrived in API 7).</summary>
    private const uint OldestApiVersion = 7;

    private static readonly Lock InitLock = new();
    private static nint* _api;

    public static uint ApiVersion { get; private set; }

    public static string RuntimeVersion { get; private set; } = string.Empty;

    /// <summary>Loads the library and resolves the function table once per process.</summary>
    public static void EnsureInitialized()
    {
        if (_api is not null)
        {
            return;
        }

        lock (InitLock)
        {
            if (_api is not null)
            {
                return;
            }

            var library = OrtNativeLibrary.Load();
            var getApiBase = (delegate* unmanaged[Cdecl]<nint*>)NativeLibrary.GetExport(library, "OrtGetApiBase");
            // OrtApiBase = { GetApi(uint32) -> const OrtApi*, GetVersionString() -> const char* }
            var apiBase = getApiBase();
            var getApi = (delegate* unmanaged[Cdecl]<uint, nint*>)apiBase[0];
            var getVersion = (delegate* unmanaged[Cdecl]<byte*>)apiBase[1];
            RuntimeVersion = Marshal.PtrToStringUTF8((nint)getVersion()) ?? string.Empty;

            for (var version = NewestApiVersion; version >= OldestApiVersion; version--)
            {
                var api = getApi(version);
                if (api is not null)
                {
                    ApiVersion = version;
                    _api = api;
                    return;
                }
            }

            throw new DllNotFoundException(
                $"ONNX Runtime {RuntimeVersion} offers none of the C API versions {OldestApiVersion}..{NewestApiVersion} this binding needs.");
        }
    }

    private static nint Slot(int index) => _api[index];

    // ---- status ----------------------------------------------------------------------------------------------------------

    /// <summary>Throws the typed exception for a non-null status, after reading its code and message and releasing it.</summary>
    public static void Check(nint status)
    {
        if (status != 0)
        {
            throw TakeError(status);
        }
    }

    public static OnnxRuntimeException TakeError(nint status)
    {
        var code = ((delegate* unmanaged[Cdecl]<nint, int>)Slot(1))(status);
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<nint, nint>)Slot(2))(status)) ?? string.Empty;
        ((delegate* unmanaged[Cdecl]<nint, void>)Slot(93))(status);
        OrtHandleCounts.StatusReleased();
        return OnnxRuntimeException.Create((OrtErrorCode)code, message);
    }

    // ---- env, session, options ------------------------------------------------------------------------------------------

    public static nint CreateEnv(int loggingLevel, byte* logId, nint* env) =>
        ((delegate* unmanaged[Cdecl]<int, byte*, nint*, nint>)Slot(3))(loggingLevel, logId, env);

    public static nint CreateSession(nint env, void* modelPath, nint options, nint* session) =>
        ((delegate* unmanaged[Cdecl]<nint, void*, nint, nint*, nint>)Slot(7))(env, modelPath, options, session);

    public static nint Run(nint session, nint runOptions, byte** inputNames, nint* inputs, nuint inputCount,
        byte** outputNames, nuint outputCount, nint* outputs) =>
        ((delegate* unmanaged[Cdecl]<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)Slot(9))(
            session, runOptions, inputNames, inputs, inputCount, outputNames, outputCount, outputs);

    public static nint CreateSessionOptions(nint* options) =>
        ((delegate* unmanaged[Cdecl]<nint*, nint>)Slot(10))(options);

    public static nint SetSessionExecutionMode(nint options, int mode) =>
        ((delegate* unmanaged[Cdecl]<nint, int, nint>)Slot(13))(options, mode);

    public static nint EnableCpuMemArena(nint options) =>
        ((delegate* unmanaged[Cdecl]<nint, nint>)Slot(18))(options);

    public static nint DisableCpuMemArena(nint options) =>
        ((delegate* unmanaged[Cdecl]<nint, nint>)Slot(19))(options);

    public static nint SetSessionLogId(nint options, byte* logId) =>
        ((delegate* unmanaged[Cdecl]<nint, byte*, nint>)Slot(20))(options, logId);

    public static nint SetSessionGraphOptimizationLevel(nint options, int level) =>
        ((delegate* unmanaged[Cdecl]<nint, int, nint>)Slot(23))(options, level);

    public static nint SetIntraOpNumThreads(nint options, int threads) =>
        ((delegate* unmanaged[Cdecl]<nint, int, nint>)Slot(24))(options, threads);

    public static nint SetInterOpNumThreads(nint options, int threads) =>
        ((delegate* unmanaged[Cdecl]<nint, int, nint>)Slot(25))(options, threads);

    public static nint AddSessionConfigEntry(nint options, byte* key, byte* value) =>
        ((delegate* unmanaged[Cdecl]<nint, byte*, byte*, nint>)Slot(130))(options, key, value);

    // ---- session metadata -----------------------------------------------------------------------------------------------

    public static nint SessionGetInputCount(nint session, nuint* count) =>
        ((delegate* unmanaged[Cdecl]<nint, nuint*, nint>)Slot(30))(session, count);

    public static nint SessionGetOutputCount(nint session, nuint* count) =>
        ((delegate* unmanaged[Cdecl]<nint, nuint*, nint>)Slot(31))(session, count);

    public static nint SessionGetInputTypeInfo(nint session, nuint index, nint* typeInfo) =>
        ((delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)Slot(33))(session, index, typeInfo);

    public static nint SessionGetOutputTypeInfo(nint session, nuint index, nint* typeInfo) =>
        ((delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)Slot(34))(session, index, typeInfo);

    public static nint SessionGetInputName(nint session, nuint index, nint allocator, byte** name) =>
        ((delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)Slot(36))(session, index, allocator, name);

    public static nint SessionGetOutputName(nint session, nuint index, nint allocator, byte** name) =>
        ((delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)Slot(37))(session, index, allocator, name);

    // ---- run options ----------------------------------------------------------------------------------------------------

    public static nint CreateRunOptions(nint* runOptions) =>
        ((delegate* unmanaged[Cdecl]<nint*, nint>)Slot(39))(runOptions);

    public static nint RunOptionsSetTerminate(nint runOptions) =>
        ((delegate* unmanaged[Cdecl]<nint, nint>)Slot(46))(runOptions);

    // ---- values and type information ------------------------------------------------------------------------------------

    public static nint CreateTensorWithDataAsOrtValue(nint memoryInfo, void* data, nuint byteLength, long* shape, nuint rank,
        int elementType, nint* value) =>
        ((delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint>)Slot(49))(
            memoryInfo, data, byteLength, shape, rank, elementType, value);

    public static nint IsTensor(nint value, int* isTensor) =>
        ((delegate* unmanaged[Cdecl]<nint, int*, nint>)Slot(50))(value, isTensor);

    public static nint GetTensorMutableData(nint value, void** data) =>
        ((delegate* unmanaged[Cdecl]<nint, void**, nint>)Slot(51))(value, data);

    /// <summary>The tensor info returned is owned by the type info: never release it.</summary>
    public static nint CastTypeInfoToTensorInfo(nint typeInfo, nint* tensorInfo) =>
        ((delegate* unmanaged[Cdecl]<nint, nint*, nint>)Slot(55))(typeInfo, tensorInfo);

    public static nint GetTensorElementType(nint info, int* elementType) =>
        ((delegate* unmanaged[Cdecl]<nint, int*, nint>)Slot(60))(info, elementType);

    public static nint GetDimensionsCount(nint info, nuint* count) =>
        ((delegate* unmanaged[Cdecl]<nint, nuint*, nint>)Slot(61))(info, count);

    public static nint GetDimensions(nint info, long* dims, nuint count) =>
        ((delegate* unmanaged[Cdecl]<nint, long*, nuint, nint>)Slot(62))(info, dims, count);

    public static nint GetSymbolicDimensions(nint info, byte** dimParams, nuint count) =>
        ((delegate* unmanaged[Cdecl]<nint, byte**, nuint, nint>)Slot(63))(info, dimParams, count);

    public static nint GetTensorShapeElementCount(nint info, nuint* count) =>
        ((delegate* unmanaged[Cdecl]<nint, nuint*, nint>)Slot(64))(info, count);

    public static nint GetTensorTypeAndShape(nint value, nint* info) =>
        ((delegate* unmanaged[Cdecl]<nint, nint*, nint>)Slot(65))(value, info);

    public static nint CreateCpuMemoryInfo(int allocatorType, int memType, nint* memoryInfo) =>
        ((delegate* unmanaged[Cdecl]<int, int, nint*, nint>)Slot(69))(allocatorType, memType, memoryInfo);

    public static nint AllocatorFree(nint allocator, void* pointer) =>
        ((delegate* unmanaged[Cdecl]<nint, void*, nint>)Slot(76))(allocator, pointer);

    /// <summary>The default allocator is owned by ORT: never release it.</summary>
    public static nint GetAllocatorWithDefaultOptions(nint* allocator) =>
        ((delegate* unmanaged[Cdecl]<nint*, nint>)Slot(78))(allocator);

    // ---- release functions (void) ---------------------------------------------------------------------------------------

    public static void ReleaseEnv(nint env) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(92))(env);

    public static void ReleaseMemoryInfo(nint info) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(94))(info);

    public static void ReleaseSession(nint session) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(95))(session);

    public static void ReleaseValue(nint value) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(96))(value);

    public static void ReleaseRunOptions(nint runOptions) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(97))(runOptions);

    public static void ReleaseTypeInfo(nint typeInfo) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(98))(typeInfo);

    public static void ReleaseTensorTypeAndShapeInfo(nint info) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(99))(info);

    public static void ReleaseSessionOptions(nint options) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(100))(options);
}
