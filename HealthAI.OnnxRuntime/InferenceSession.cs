using System.Runtime.InteropServices;
using System.Text;
using HealthAI.OnnxRuntime.Native;

namespace HealthAI.OnnxRuntime;

/// <summary>
/// One loaded model. <see cref="Run(ReadOnlySpan{TensorInput}, CancellationToken)"/> is thread-safe: ORT allows concurrent runs
/// on one session. Disposing waits for runs in flight (SafeHandle reference counting) before ORT frees the session.
/// </summary>
public sealed unsafe partial class InferenceSession : IDisposable
{
    private readonly OrtEnv _env;
    private readonly OrtSessionHandle _session = new();
    private readonly NativeNames _inputNames;
    private readonly NativeNames _outputNames;
    private bool _envReferenced;

    internal InferenceSession(OrtEnv env, string modelPath, SessionOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        options.Validate();
        _env = env;
        ModelPath = modelPath;

        // The session must not outlive ORT's environment: hold a reference on it until this session is released.
        _env.Handle.DangerousAddRef(ref _envReferenced);
        try
        {
            using (var nativeOptions = CreateNativeOptions(options))
            {
                nint session;
                var path = OperatingSystem.IsWindows()
                    ? Encoding.Unicode.GetBytes(modelPath + "\0")
                    : Encoding.UTF8.GetBytes(modelPath + "\0");
                fixed (byte* pathPointer = path)
                {
                    OrtApi.Check(OrtApi.CreateSession(
                        _env.Handle.DangerousGetHandle(), pathPointer, nativeOptions.DangerousGetHandle(), &session));
                }

                _session.Attach(session);
            }

            Inputs = ReadMetadata(isInput: true);
            Outputs = ReadMetadata(isInput: false);
            _inputNames = new NativeNames(Inputs);
            _outputNames = new NativeNames(Outputs);
            var inputNames = _inputNames;
            var outputNames = _outputNames;
            _session.AfterRelease = () =>
            {
                inputNames.Dispose();
                outputNames.Dispose();
                ReleaseEnv();
            };
        }
        catch
        {
            _session.Dispose();
            _inputNames?.Dispose();
            _outputNames?.Dispose();
            ReleaseEnv();
            throw;
        }
    }

    /// <summary>Loads a model on the process-wide <see cref="OrtEnv.Instance"/>.</summary>
    public InferenceSession(string modelPath, SessionOptions? options = null)
        : this(OrtEnv.Instance, modelPath, options ?? new SessionOptions())
    {
    }

    public string ModelPath { get; }

    /// <summary>The model's inputs in declaration order.</summary>
    public IReadOnlyList<NodeMetadata> Inputs { get; }

    /// <summary>The model's outputs in declaration order.</summary>
    public IReadOnlyList<NodeMetadata> Outputs { get; }

    public void Dispose()
    {
        // The session (and, after it, the names and the environment reference) is released when the last run in flight ends.
        _session.Dispose();
    }

    private void ReleaseEnv()
    {
        if (Interlocked.Exchange(ref _envReferenced, false))
        {
            _env.Handle.DangerousRelease();
        }
    }

    private static OrtSessionOptionsHandle CreateNativeOptions(SessionOptions options)
    {
        var handle = new OrtSessionOptionsHandle();
        nint pointer;
        OrtApi.Check(OrtApi.CreateSessionOptions(&pointer));
        handle.Attach(pointer);
        try
        {
            if (options.IntraOpNumThreads > 0)
            {
                OrtApi.Check(OrtApi.SetIntraOpNumThreads(pointer, options.IntraOpNumThreads));
            }

            if (options.InterOpNumThreads > 0)
            {
                OrtApi.Check(OrtApi.SetInterOpNumThreads(pointer, options.InterOpNumThreads));
            }

            OrtApi.Check(OrtApi.SetSessionGraphOptimizationLevel(pointer, (int)options.GraphOptimizationLevel));
            OrtApi.Check(OrtApi.SetSessionExecutionMode(pointer, (int)options.ExecutionMode));
            OrtApi.Check(options.EnableCpuMemArena ? OrtApi.EnableCpuMemArena(pointer) : OrtApi.DisableCpuMemArena(pointer));
            if (!string.IsNullOrEmpty(options.LogId))
            {
                fixed (byte* logId = Utf8Z(options.LogId))
                {
                    OrtApi.Check(OrtApi.SetSessionLogId(pointer, logId));
                }
            }

            var spinning = options.AllowSpinning ? "1" : "0";
            AddConfigEntry(pointer, "session.intra_op.allow_spinning", spinning);
            AddConfigEntry(pointer, "session.inter_op.allow_spinning", spinning);
            foreach (var (key, value) in options.ConfigEntries)
            {
                AddConfigEntry(pointer, key, value);
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void AddConfigEntry(nint options, string key, string value)
    {
        fixed (byte* keyPointer = Utf8Z(key))
        fixed (byte* valuePointer = Utf8Z(value))
        {
            OrtApi.Check(OrtApi.AddSessionConfigEntry(options, keyPointer, valuePointer));
        }
    }

    private static byte[] Utf8Z(string value) => Encoding.UTF8.GetBytes(value + "\0");

    private NodeMetadata[] ReadMetadata(bool isInput)
    {
        var session = _session.DangerousGetHandle();
        nuint count;
        OrtApi.Check(isInput ? OrtApi.SessionGetInputCount(session, &count) : OrtApi.SessionGetOutputCount(session, &count));
        var result = new NodeMetadata[(int)count];
        var allocator = OrtCpuMemory.DefaultAllocator;
        for (nuint i = 0; i < count; i++)
        {
            byte* namePointer;
            OrtApi.Check(isInput
                ? OrtApi.SessionGetInputName(session, i, allocator, &namePointer)
                : OrtApi.SessionGetOutputName(session, i, allocator, &namePointer));
            string name;
            try
            {
                name = Marshal.PtrToStringUTF8((nint)namePointer) ?? string.Empty;
            }
            finally
            {
                OrtApi.Check(OrtApi.AllocatorFree(allocator, namePointer));
            }

            using var typeInfo = new OrtTypeInfoHandle();
            nint typeInfoPointer;
            OrtApi.Check(isInput
                ? OrtApi.SessionGetInputTypeInfo(session, i, &typeInfoPointer)
                : OrtApi.SessionGetOutputTypeInfo(session, i, &typeInfoPointer));
            typeInfo.Attach(typeInfoPointer);
            result[(int)i] = ReadTensorInfo(name, typeInfoPointer);
        }

        return result;
    }

    private static NodeMetadata ReadTensorInfo(string name, nint typeInfo)
    {
        nint tensorInfo;
        OrtApi.Check(OrtApi.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
        if (tensorInfo == 0)
        {
            // A sequence, map or optional: no element type or shape to report.
            return new NodeMetadata(name, IsTensor: false, TensorElementType.Undefined, [], []);
        }

        int elementType;
        nuint rank;
        OrtApi.Check(OrtApi.GetTensorElementType(tensorInfo, &elementType));
        OrtApi.Check(OrtApi.GetDimensionsCount(tensorInfo, &rank));
        var shape = new long[(int)rank];
        var symbolic = new string[(int)rank];
        var symbolicPointers = new nint[(int)rank];
        fixed (long* shapePointer = shape)
        fixed (nint* symbolicPointer = symbolicPointers)
        {
            OrtApi.Check(OrtApi.GetDimensions(tensorInfo, shapePointer, rank));
            OrtApi.Check(OrtApi.GetSymbolicDimensions(tensorInfo, (byte**)symbolicPointer, rank));
        }

        for (var d = 0; d < shape.Length; d++)
        {
            // The strings belong to the type info, which is still alive here: copy them out now.
            symbolic[d] = symbolicPointers[d] == 0 ? string.Empty : Marshal.PtrToStringUTF8(symbolicPointers[d]) ?? string.Empty;
            if (shape[d] < 0)
            {
                shape[d] = -1;
            }
        }

        return new NodeMetadata(name, IsTensor: true, (TensorElementType)elementType, shape, symbolic);
    }

    /// <summary>NUL-terminated UTF-8 copies of a session's names in native memory, made once so runs encode nothing.</summary>
    private sealed class NativeNames : IDisposable
    {
        private readonly string[] _names;
        private byte*[]? _pointers;

        public NativeNames(IReadOnlyList<NodeMetadata> nodes)
        {
            _names = new string[nodes.Count];
            _pointers = new byte*[nodes.Count];
            for (var i = 0; i < nodes.Count; i++)
            {
                _names[i] = nodes[i].Name;
                var bytes = Encoding.UTF8.GetBytes(nodes[i].Name);
                var pointer = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
                bytes.CopyTo(new Span<byte>(pointer, bytes.Length));
                pointer[bytes.Length] = 0;
                _pointers[i] = pointer;
            }
        }

        public int Count => _names.Length;

        public byte* this[int index] => _pointers![index];

        public int IndexOf(string name)
        {
            for (var i = 0; i < _names.Length; i++)
            {
                if (string.Equals(_names[i], name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        public void Dispose()
        {
            var pointers = Interlocked.Exchange(ref _pointers, null);
            if (pointers is null)
            {
                return;
            }

            foreach (var pointer in pointers)
            {
                NativeMemory.Free(pointer);
            }
        }
    }
}
