using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using HealthAI.InferenceServer.Hosting;
using HealthAI.KServe.Protocol.Inference;
using HealthAI.OnnxRuntime;
using Microsoft.Extensions.Options;

namespace HealthAI.InferenceServer.Execution;

/// <summary>
/// Triton's <c>onnxruntime</c> backend on CPU: one <see cref="InferenceSession"/> per instance, intra-op threads from
/// <c>--intra-op-threads</c>, else the model's <c>intra_op_thread_count</c> parameter, else ONNX Runtime's default; intra-op
/// spinning only when the model's <c>session.intra_op.allow_spinning</c> parameter is "true".
/// </summary>
public sealed class OnnxRuntimeBackend(IOptions<InferenceServerOptions> options) : IModelBackend
{
    public const string Name = "onnxruntime";

    public bool Supports(ModelConfig config) => config.Backend == Name;

    public IModelInstance CreateInstance(ModelLoadContext context, int instanceIndex)
    {
        var config = context.Config;
        var path = Path.Combine(context.VersionDirectory, config.DefaultModelFilename.Length > 0 ? config.DefaultModelFilename : "model.onnx");
        if (Directory.Exists(path))
        {
            path = Path.Combine(path, "model.onnx");
        }

        if (!File.Exists(path))
        {
            throw new InvalidDataException($"model '{context.ModelName}' version {context.Version}: {path} does not exist");
        }

        var intraOp = options.Value.IntraOpThreads > 0 ? options.Value.IntraOpThreads : Parameter(config, "intra_op_thread_count");
        var interOp = Parameter(config, "inter_op_thread_count");
        var session = new InferenceSession(path, new HealthAI.OnnxRuntime.SessionOptions
        {
            IntraOpNumThreads = intraOp,
            InterOpNumThreads = interOp > 0 ? interOp : 1,
            AllowSpinning = Flag(config, SpinningParameter),
            LogId = $"{context.ModelName}_{context.Version}_{instanceIndex}",
        });
        try
        {
            foreach (var input in config.Input)
            {
                if (session.Inputs.All(i => i.Name != input.Name))
                {
                    throw new InvalidDataException($"model '{context.ModelName}': config input '{input.Name}' is not an input of {path}");
                }
            }

            foreach (var output in config.Output)
            {
                if (session.Outputs.All(o => o.Name != output.Name))
                {
                    throw new InvalidDataException($"model '{context.ModelName}': config output '{output.Name}' is not an output of {path}");
                }
            }
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return new Instance(session);
    }

    /// <summary>
    /// Model parameter that lets ORT's idle intra-op threads busy-wait between operators (off unless "true"): a gain only where
    /// the model has the cores to itself; next to the protocol work on a small machine the spinning threads take its CPU.
    /// </summary>
    public const string SpinningParameter = "session.intra_op.allow_spinning";

    private static bool Flag(ModelConfig config, string key) =>
        config.Parameters.TryGetValue(key, out var value)
        && (value.StringValue.Equals("true", StringComparison.OrdinalIgnoreCase) || value.StringValue == "1");

    private static int Parameter(ModelConfig config, string key) =>
        config.Parameters.TryGetValue(key, out var value)
        && int.TryParse(value.StringValue, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;

    private sealed class Instance(InferenceSession session) : IModelInstance
    {
        public IReadOnlyList<InferTensor> Execute(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
        {
            var tensors = new TensorInput[inputs.Count];
            var rented = new List<long[]>();
            var rentedFloats = new List<float[]>();
            var rentedInts = new List<int[]>();
            try
            {
                for (var i = 0; i < inputs.Count; i++)
                {
                    tensors[i] = ToOrt(inputs[i], rented, rentedFloats, rentedInts);
                }

                IReadOnlyList<TensorOutput> outputs;
                try
                {
                    outputs = session.Run(tensors, [.. outputNames], cancellationToken);
                }
                catch (OnnxRuntimeInvalidArgumentException ex)
                {
                    // ORT's messages name inputs, types and shapes, never tensor contents.
                    throw InferenceException.InvalidArg($"onnxruntime rejected the request: {ex.OrtMessage}");
                }
                catch (OnnxRuntimeException ex)
                {
                    throw new InferenceException(TritonErrorKind.Internal, $"onnxruntime failed ({ex.ErrorCode}): {ex.OrtMessage}");
                }

                var results = new InferTensor[outputs.Count];
                for (var i = 0; i < outputs.Count; i++)
                {
                    results[i] = FromOrt(outputs[i]);
                }

                return results;
            }
            finally
            {
                rented.ForEach(a => ArrayPool<long>.Shared.Return(a));
                rentedFloats.ForEach(a => ArrayPool<float>.Shared.Return(a));
                rentedInts.ForEach(a => ArrayPool<int>.Shared.Return(a));
            }
        }

        /// <summary>
        /// Wraps the request's bytes in place when they are element-aligned (gRPC raw contents always are); otherwise copies them
        /// into pooled arrays that are returned after the run.
        /// </summary>
        private static TensorInput ToOrt(InferTensor tensor, List<long[]> longs, List<float[]> floats, List<int[]> ints)
        {
            return tensor.Datatype switch
            {
                "INT64" => TensorInput.FromInt64(tensor.Name, View(tensor.Data, longs), tensor.Shape),
                "FP32" => TensorInput.FromFloat(tensor.Name, View(tensor.Data, floats), tensor.Shape),
                "INT32" => TensorInput.FromInt32(tensor.Name, View(tensor.Data, ints), tensor.Shape),
                _ => throw new InferenceException(TritonErrorKind.Unsupported,
                    $"input '{tensor.Name}': datatype {tensor.Datatype} is not supported by this onnxruntime backend"),
            };
        }

        private static ReadOnlyMemory<T> View<T>(ReadOnlyMemory<byte> bytes, List<T[]> rented)
            where T : unmanaged
        {
            if (ByteMemoryCast<T>.TryCreate(bytes, out var elements))
            {
                return elements;
            }

            var count = bytes.Length / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            var copy = ArrayPool<T>.Shared.Rent(count);
            rented.Add(copy);
            MemoryMarshal.Cast<byte, T>(bytes.Span).CopyTo(copy);
            return copy.AsMemory(0, count);
        }

        private static InferTensor FromOrt(TensorOutput output)
        {
            var shape = output.Shape.ToArray();
            return output.ElementType switch
            {
                TensorElementType.Float => new InferTensor(output.Name, "FP32", shape, MemoryMarshal.AsBytes(output.GetData<float>()).ToArray()),
                TensorElementType.Int64 => new InferTensor(output.Name, "INT64", shape, MemoryMarshal.AsBytes(output.GetData<long>()).ToArray()),
                TensorElementType.Int32 => new InferTensor(output.Name, "INT32", shape, MemoryMarshal.AsBytes(output.GetData<int>()).ToArray()),
                TensorElementType.Double => new InferTensor(output.Name, "FP64", shape, MemoryMarshal.AsBytes(output.GetData<double>()).ToArray()),
                _ => throw new InferenceException(TritonErrorKind.Unsupported, $"output '{output.Name}' has element type {output.ElementType}, which this backend does not return"),
            };
        }

        public void Dispose() => session.Dispose();
    }
}
