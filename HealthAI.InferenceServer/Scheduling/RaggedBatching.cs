using System.Globalization;
using HealthAI.InferenceServer.Execution;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Scheduling;

/// <summary>
/// Opt-in batching of requests whose sequence lengths differ (beyond Triton, which batches only equal shapes unless a backend
/// handles <c>allow_ragged_batch</c> itself). A model turns it on with the parameter <see cref="ParameterKey"/> naming its
/// attention-mask input; that is its declaration that padded positions do not change the other positions' results. Every
/// input has one variable (<c>-1</c>) dimension, the sequence; a batch pads each request to the batch's longest sequence with
/// zeros (mask 0 = padding, token id 0 = [PAD]), and every output dimension declared <c>-1</c> is cut back to the caller's
/// own length.
/// </summary>
public sealed class RaggedBatching
{
    /// <summary>The model parameter that opts in; its string value names the attention-mask input.</summary>
    public const string ParameterKey = "ragged_batch_attention_mask";

    private readonly int[] _inputAxes;
    private readonly int[] _outputAxes;

    private RaggedBatching(string maskInput, int[] inputAxes, int[] outputAxes)
    {
        MaskInput = maskInput;
        _inputAxes = inputAxes;
        _outputAxes = outputAxes;
    }

    public string MaskInput { get; }

    /// <summary>
    /// The model's ragged batching, or null when it does not opt in. A model that opts in but cannot be padded safely fails to
    /// load with a message naming the parameter.
    /// </summary>
    public static RaggedBatching? From(ModelConfig config)
    {
        if (!config.Parameters.TryGetValue(ParameterKey, out var parameter))
        {
            return null;
        }

        var mask = parameter.StringValue;
        string Problem(string reason) => $"parameters.{ParameterKey} ('{mask}'): {reason}";
        if (config.MaxBatchSize <= 0 || config.DynamicBatching is null)
        {
            throw new InvalidDataException(Problem("needs max_batch_size > 0 and dynamic_batching"));
        }

        if (config.Input.All(i => i.Name != mask))
        {
            throw new InvalidDataException(Problem("names no input of the model"));
        }

        var inputAxes = new int[config.Input.Count];
        for (var i = 0; i < inputAxes.Length; i++)
        {
            var input = config.Input[i];
            if (input.Reshape is not null || TritonDataType.ElementSize(TritonDataType.FromConfig(input.DataType)) <= 0)
            {
                throw new InvalidDataException(Problem($"input '{input.Name}' must have a fixed-size data type and no reshape"));
            }

            inputAxes[i] = 1 + SingleVariableDim(input.Dims, $"input '{input.Name}'", required: true, Problem);
        }

        var outputAxes = new int[config.Output.Count];
        for (var o = 0; o < outputAxes.Length; o++)
        {
            var output = config.Output[o];
            var axis = SingleVariableDim(output.Dims, $"output '{output.Name}'", required: false, Problem);
            outputAxes[o] = axis < 0 ? -1 : 1 + axis;
        }

        return new RaggedBatching(mask, inputAxes, outputAxes);
    }

    private static int SingleVariableDim(Google.Protobuf.Collections.RepeatedField<long> dims, string what, bool required, Func<string, string> problem)
    {
        var axis = -1;
        for (var d = 0; d < dims.Count; d++)
        {
            if (dims[d] == -1)
            {
                axis = axis < 0 ? d : throw new InvalidDataException(problem($"{what} has more than one -1 dimension"));
            }
        }

        return axis < 0 && required ? throw new InvalidDataException(problem($"{what} has no -1 (sequence) dimension")) : axis;
    }

    /// <summary>
    /// The batching key of a request: its shapes with the batch and sequence dimensions left out, so requests of any length
    /// share batches. Every input must carry the same sequence length.
    /// </summary>
    public ShapeKey KeyFor(IReadOnlyList<InferTensor> inputs)
    {
        var length = SequenceLength(inputs);
        var dims = new List<long>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var shape = inputs[i].Shape;
            if (shape[_inputAxes[i]] != length)
            {
                throw InferenceException.InvalidArg(
                    $"input '{inputs[i].Name}' has sequence length {shape[_inputAxes[i]]}, input '{inputs[0].Name}' has {length}");
            }

            dims.Add(-shape.Length - 1);
            for (var d = 1; d < shape.Length; d++)
            {
                dims.Add(d == _inputAxes[i] ? -2 : shape[d]);
            }
        }

        return ShapeKey.Of([.. dims]);
    }

    /// <summary>The sequence length of a request (dimension of its first input's variable axis).</summary>
    public int SequenceLength(IReadOnlyList<InferTensor> inputs) => checked((int)inputs[0].Shape[_inputAxes[0]]);

    /// <summary>Input <paramref name="inputIndex"/> of every request, each padded with zeros to <paramref name="longest"/>.</summary>
    public InferTensor Pad(IReadOnlyList<IReadOnlyList<InferTensor>> requests, int inputIndex, int longest)
    {
        var first = requests[0][inputIndex];
        var axis = _inputAxes[inputIndex];
        var elementSize = TritonDataType.ElementSize(first.Datatype);
        var inner = checked((int)TritonDataType.ElementCount(first.Shape.AsSpan(axis + 1)) * elementSize);
        var paddedRow = checked(longest * inner);
        long totalOuter = 0;
        long totalBatch = 0;
        foreach (var request in requests)
        {
            var shape = request[inputIndex].Shape;
            totalBatch += shape[0];
            totalOuter += TritonDataType.ElementCount(shape.AsSpan(0, axis));
        }

        // A zeroed array: the padding is already in place, only the real rows are copied.
        var data = new byte[checked((int)(totalOuter * paddedRow))];
        var offset = 0;
        foreach (var request in requests)
        {
            var tensor = request[inputIndex];
            var row = checked((int)tensor.Shape[axis] * inner);
            var source = tensor.Data.Span;
            for (var at = 0; at < source.Length; at += row)
            {
                source.Slice(at, row).CopyTo(data.AsSpan(offset));
                offset += paddedRow;
            }
        }

        var padded = (long[])first.Shape.Clone();
        padded[0] = totalBatch;
        padded[axis] = longest;
        return first with { Shape = padded, Data = data };
    }

    /// <summary>
    /// Cuts output <paramref name="outputIndex"/> of a padded batch into per-request outputs: batch rows by
    /// <paramref name="batchSizes"/>, and the sequence dimension (if the output has one) back to each request's length.
    /// </summary>
    public InferTensor[] Split(InferTensor output, int outputIndex, IReadOnlyList<int> batchSizes, IReadOnlyList<int> lengths, int longest)
    {
        var axis = _outputAxes[outputIndex];
        if (axis < 0)
        {
            return BatchAssembler.Split(output, batchSizes);
        }

        if (axis >= output.Shape.Length || output.Shape[axis] != longest)
        {
            throw new InferenceException(TritonErrorKind.Internal, string.Create(CultureInfo.InvariantCulture,
                $"output '{output.Name}' has shape {output.ShapeText}, expected dimension {axis} to be the padded length {longest}"));
        }

        var elementSize = TritonDataType.ElementSize(output.Datatype);
        var inner = checked((int)TritonDataType.ElementCount(output.Shape.AsSpan(axis + 1)) * elementSize);
        var outerPerItem = checked((int)TritonDataType.ElementCount(output.Shape.AsSpan(1, axis - 1)));
        var paddedRow = longest * inner;
        var parts = new InferTensor[batchSizes.Count];
        var source = output.Data;
        var offset = 0;
        for (var r = 0; r < parts.Length; r++)
        {
            var rows = batchSizes[r] * outerPerItem;
            var row = lengths[r] * inner;
            var shape = (long[])output.Shape.Clone();
            shape[0] = batchSizes[r];
            shape[axis] = lengths[r];
            ReadOnlyMemory<byte> data;
            if (lengths[r] == longest)
            {
                data = source.Slice(offset, rows * paddedRow);
            }
            else
            {
                var trimmed = GC.AllocateUninitializedArray<byte>(rows * row);
                for (var i = 0; i < rows; i++)
                {
                    source.Span.Slice(offset + (i * paddedRow), row).CopyTo(trimmed.AsSpan(i * row));
                }

                data = trimmed;
            }

            parts[r] = output with { Shape = shape, Data = data };
            offset += rows * paddedRow;
        }

        return parts;
    }
}
