using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using HealthAI.OnnxRuntime.Native;

namespace HealthAI.OnnxRuntime;

public sealed unsafe partial class InferenceSession
{
    /// <summary>Above this many inputs or outputs the per-run pointer tables move from the stack to the heap.</summary>
    private const int StackTableLimit = 16;

    /// <summary>Test seam: runs just before ORT's Run, after cancellation is wired (lets a test cancel deterministically mid-call).</summary>
    internal Action? BeforeNativeRun { get; set; }

    /// <summary>Runs the model and returns every output, in declaration order.</summary>
    public IReadOnlyList<TensorOutput> Run(ReadOnlySpan<TensorInput> inputs, CancellationToken cancellationToken = default) =>
        RunCore(inputs, default, allOutputs: true, cancellationToken);

    /// <summary>Runs the model and returns the named outputs, in the order asked for.</summary>
    public IReadOnlyList<TensorOutput> Run(
        ReadOnlySpan<TensorInput> inputs, ReadOnlySpan<string> outputNames, CancellationToken cancellationToken = default) =>
        RunCore(inputs, outputNames, allOutputs: false, cancellationToken);

    private TensorOutput[] RunCore(
        ReadOnlySpan<TensorInput> inputs, ReadOnlySpan<string> requestedOutputs, bool allOutputs, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_session.IsClosed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var outputCount = allOutputs ? _outputNames.Count : requestedOutputs.Length;

        var sessionReferenced = false;
        var pins = ArrayPool<MemoryHandle>.Shared.Rent(Math.Max(inputs.Length, 1));
        var pinned = 0;
        Span<nint> inputValues = inputs.Length <= StackTableLimit ? stackalloc nint[StackTableLimit] : new nint[inputs.Length];
        Span<nint> inputNames = inputs.Length <= StackTableLimit ? stackalloc nint[StackTableLimit] : new nint[inputs.Length];
        Span<nint> outputValues = outputCount <= StackTableLimit ? stackalloc nint[StackTableLimit] : new nint[outputCount];
        Span<nint> outputNames = outputCount <= StackTableLimit ? stackalloc nint[StackTableLimit] : new nint[outputCount];
        inputValues.Clear();
        outputValues.Clear();
        List<nint>? temporaryNames = null;
        nint runOptions = 0;
        CancellationTokenRegistration registration = default;
        try
        {
            _session.DangerousAddRef(ref sessionReferenced);

            for (var i = 0; i < inputs.Length; i++)
            {
                ref readonly var input = ref inputs[i];
                if (input.Name is null)
                {
                    throw new ArgumentException(
                        "A default TensorInput has no name or data; create one with TensorInput.FromInt64/FromFloat/FromInt32.", nameof(inputs));
                }

                var index = _inputNames.IndexOf(input.Name);
                inputNames[i] = index >= 0 ? (nint)_inputNames[index] : TemporaryName(input.Name, ref temporaryNames);
                pins[i] = input.Pin();
                pinned++;
                inputValues[i] = WrapCallerMemory(input, pins[i].Pointer);
            }

            for (var o = 0; o < outputCount; o++)
            {
                if (allOutputs)
                {
                    outputNames[o] = (nint)_outputNames[o];
                    continue;
                }

                var index = _outputNames.IndexOf(requestedOutputs[o]);
                outputNames[o] = index >= 0 ? (nint)_outputNames[index] : TemporaryName(requestedOutputs[o], ref temporaryNames);
            }

            if (cancellationToken.CanBeCanceled)
            {
                OrtApi.Check(OrtApi.CreateRunOptions(&runOptions));
                OrtHandleCounts.Created(OrtHandleKind.RunOptions);
                // ORT checks the terminate flag between operators; the run then fails and is reported as a cancellation.
                registration = cancellationToken.UnsafeRegister(
                    static state => OrtApi.Check(OrtApi.RunOptionsSetTerminate((nint)state!)), runOptions);
            }

            BeforeNativeRun?.Invoke();
            nint status;
            fixed (nint* inputNamesPointer = inputNames)
            fixed (nint* inputValuesPointer = inputValues)
            fixed (nint* outputNamesPointer = outputNames)
            fixed (nint* outputValuesPointer = outputValues)
            {
                status = OrtApi.Run(_session.DangerousGetHandle(), runOptions,
                    (byte**)inputNamesPointer, inputValuesPointer, (nuint)inputs.Length,
                    (byte**)outputNamesPointer, (nuint)outputCount, outputValuesPointer);
            }

            for (var o = 0; o < outputCount; o++)
            {
                if (outputValues[o] != 0)
                {
                    OrtHandleCounts.Created(OrtHandleKind.Value);
                }
            }

            if (status != 0)
            {
                var error = OrtApi.TakeError(status);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("The ONNX Runtime run was canceled.", error, cancellationToken);
                }

                throw error;
            }

            var results = new TensorOutput[outputCount];
            for (var o = 0; o < outputCount; o++)
            {
                var name = allOutputs ? Outputs[o].Name : requestedOutputs[o];
                results[o] = CopyOut(name, outputValues[o]);
            }

            return results;
        }
        finally
        {
            registration.Dispose();
            if (runOptions != 0)
            {
                OrtApi.ReleaseRunOptions(runOptions);
                OrtHandleCounts.Released(OrtHandleKind.RunOptions);
            }

            ReleaseValues(outputValues[..outputCount]);
            ReleaseValues(inputValues[..inputs.Length]);
            for (var i = 0; i < pinned; i++)
            {
                pins[i].Dispose();
            }

            ArrayPool<MemoryHandle>.Shared.Return(pins, clearArray: true);
            if (temporaryNames is not null)
            {
                foreach (var name in temporaryNames)
                {
                    NativeMemory.Free((void*)name);
                }
            }

            if (sessionReferenced)
            {
                _session.DangerousRelease();
            }
        }
    }

    private static nint WrapCallerMemory(in TensorInput input, void* data)
    {
        var shape = input.Shape;
        nint value;
        fixed (long* shapePointer = shape)
        {
            // ORT copies the shape; the data stays the caller's (pinned until the run ends). ORT checks that the byte
            // length covers the shape and reports a mismatch as INVALID_ARGUMENT.
            OrtApi.Check(OrtApi.CreateTensorWithDataAsOrtValue(
                OrtCpuMemory.Info, TensorInput.NonNull(data), input.ByteLength, shapePointer, (nuint)shape.Length,
                (int)input.ElementType, &value));
        }

        OrtHandleCounts.Created(OrtHandleKind.Value);
        return value;
    }

    private static TensorOutput CopyOut(string name, nint value)
    {
        int isTensor;
        OrtApi.Check(OrtApi.IsTensor(value, &isTensor));
        if (isTensor == 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.NotImplemented, $"Output '{name}' is not a tensor; this binding reads tensors only.");
        }

        nint info;
        OrtApi.Check(OrtApi.GetTensorTypeAndShape(value, &info));
        OrtHandleCounts.Created(OrtHandleKind.TensorTypeAndShapeInfo);
        int elementType;
        long[] shape;
        nuint elementCount;
        try
        {
            nuint rank;
            OrtApi.Check(OrtApi.GetTensorElementType(info, &elementType));
            OrtApi.Check(OrtApi.GetDimensionsCount(info, &rank));
            shape = new long[(int)rank];
            fixed (long* shapePointer = shape)
            {
                OrtApi.Check(OrtApi.GetDimensions(info, shapePointer, rank));
            }

            OrtApi.Check(OrtApi.GetTensorShapeElementCount(info, &elementCount));
        }
        finally
        {
            OrtApi.ReleaseTensorTypeAndShapeInfo(info);
            OrtHandleCounts.Released(OrtHandleKind.TensorTypeAndShapeInfo);
        }

        var type = (TensorElementType)elementType;
        var data = TensorOutput.Allocate(type, checked((int)elementCount));
        var byteLength = checked((int)elementCount * TensorElementTypes.SizeOf(type));
        if (byteLength > 0)
        {
            void* source;
            OrtApi.Check(OrtApi.GetTensorMutableData(value, &source));
            new ReadOnlySpan<byte>(source, byteLength).CopyTo(TensorOutput.AsBytes(data, byteLength));
        }

        return new TensorOutput(name, type, shape, data);
    }

    private static void ReleaseValues(Span<nint> values)
    {
        foreach (ref var value in values)
        {
            if (value != 0)
            {
                OrtApi.ReleaseValue(value);
                OrtHandleCounts.Released(OrtHandleKind.Value);
                value = 0;
            }
        }
    }

    /// <summary>A name the model does not declare: encode it for this run only, so ORT can report it by name.</summary>
    private static nint TemporaryName(string name, ref List<nint>? temporaryNames)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        var pointer = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
        bytes.CopyTo(new Span<byte>(pointer, bytes.Length));
        pointer[bytes.Length] = 0;
        (temporaryNames ??= []).Add((nint)pointer);
        return (nint)pointer;
    }
}
