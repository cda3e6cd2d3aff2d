using HealthAI.InferenceServer.Repository;
using HealthAI.InferenceServer.Scheduling;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Execution;

/// <summary>
/// The protocol-independent inference path: resolve the model version, check the request against its config (names,
/// datatypes, shapes, batch size, byte sizes), queue it and pick the requested outputs. Error texts follow Triton's.
/// </summary>
/// <remarks>
/// Draining does not refuse inference: readiness drops at SIGTERM, and whatever still reaches the server while Kestrel drains
/// (during the drain delay, or on a kept-alive connection afterwards) is answered, since the models stop only once Kestrel has
/// finished; a 503 here would fail exactly the callers a graceful shutdown exists to spare.
/// </remarks>
public sealed class InferenceService(ModelManager models)
{
    /// <summary>[0, 1, ..., n-1] for the usual request that asks for every output; shared, never written to.</summary>
    private static readonly int[][] AllOutputIndexes = [.. Enumerable.Range(0, 9).Select(n => Enumerable.Range(0, n).ToArray())];

    public async Task<InferenceResponse> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        var model = models.Resolve(request.ModelName, request.ModelVersion);
        var config = model.Config;
        var ordered = OrderInputs(request, config, out var batchSize);
        var outputIndexes = SelectOutputs(request, config);
        var shapeKey = model.Scheduler.Policy.Ragged is { } ragged ? ragged.KeyFor(ordered) : ShapeKey.From(ordered, model.Batched);

        var outputs = await model.Scheduler.EnqueueAsync(ordered, batchSize, shapeKey, request.TimeoutMicroseconds, request.Priority,
            cancellationToken);
        var selected = new InferTensor[outputIndexes.Length];
        for (var i = 0; i < outputIndexes.Length; i++)
        {
            selected[i] = outputs[outputIndexes[i]];
        }

        return new InferenceResponse(model.Name, model.VersionText, request.Id, selected);
    }

    private static InferTensor[] OrderInputs(InferenceRequest request, ModelConfig config, out int batchSize)
    {
        var prefix = string.IsNullOrEmpty(request.Id) ? "" : $"[request id: {request.Id}] ";
        var required = 0;
        foreach (var spec in config.Input)
        {
            required += spec.Optional ? 0 : 1;
        }

        if (request.Inputs.Count < required || request.Inputs.Count > config.Input.Count)
        {
            throw InferenceException.InvalidArg(
                $"{prefix}expected {config.Input.Count} inputs but got {request.Inputs.Count} inputs for model '{config.Name}'");
        }

        var ordered = new InferTensor[config.Input.Count];
        batchSize = 1;
        var batched = config.MaxBatchSize > 0;
        long firstBatch = -1;
        for (var i = 0; i < config.Input.Count; i++)
        {
            var spec = config.Input[i];
            InferTensor? tensor = null;
            foreach (var candidate in request.Inputs)
            {
                if (candidate.Name == spec.Name)
                {
                    tensor = tensor is null ? candidate
                        : throw InferenceException.InvalidArg($"{prefix}input '{spec.Name}' appears more than once");
                }
            }

            if (tensor is null)
            {
                if (spec.Optional)
                {
                    throw new InferenceException(TritonErrorKind.Unsupported,
                        $"{prefix}optional input '{spec.Name}' omitted: this server needs every input");
                }

                throw InferenceException.InvalidArg($"{prefix}expected input '{spec.Name}' for model '{config.Name}'");
            }

            var expectedType = TritonDataType.FromConfig(spec.DataType);
            if (tensor.Datatype != expectedType)
            {
                throw InferenceException.InvalidArg(
                    $"{prefix}inference input '{spec.Name}' data-type is '{tensor.Datatype}', but model '{config.Name}' expects '{expectedType}'");
            }

            var shape = tensor.Shape.AsSpan();
            if (batched)
            {
                if (shape.Length == 0 || shape[0] < 1 || shape[0] > config.MaxBatchSize)
                {
                    throw InferenceException.InvalidArg(
                        $"{prefix}inference request batch-size must be <= {config.MaxBatchSize} for '{config.Name}'");
                }

                if (firstBatch >= 0 && shape[0] != firstBatch)
                {
                    throw InferenceException.InvalidArg($"{prefix}inputs of model '{config.Name}' disagree on the batch size");
                }

                firstBatch = shape[0];
                shape = shape[1..];
            }

            if (!ShapeMatches(shape, spec.Dims))
            {
                throw InferenceException.InvalidArg(
                    $"{prefix}unexpected shape for input '{spec.Name}' for model '{config.Name}'. Expected {FormatDims(config, spec.Dims)}, got {tensor.ShapeText}");
            }

            CheckByteSize(tensor, prefix);
            ordered[i] = spec.Reshape is { } reshape ? Reshaped(tensor, reshape.Shape, batched) : tensor;
        }

        if (firstBatch > 0)
        {
            batchSize = (int)firstBatch;
        }

        foreach (var input in request.Inputs)
        {
            if (!DeclaresInput(config, input.Name))
            {
                throw InferenceException.InvalidArg($"{prefix}unexpected inference input '{input.Name}' for model '{config.Name}'");
            }
        }

        return ordered;
    }

    private static bool DeclaresInput(ModelConfig config, string name)
    {
        foreach (var spec in config.Input)
        {
            if (spec.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    private static int[] SelectOutputs(InferenceRequest request, ModelConfig config)
    {
        if (request.Outputs.Count == 0)
        {
            return config.Output.Count < AllOutputIndexes.Length
                ? AllOutputIndexes[config.Output.Count]
                : [.. Enumerable.Range(0, config.Output.Count)];
        }

        var indexes = new int[request.Outputs.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            var name = request.Outputs[i].Name;
            var index = -1;
            for (var o = 0; o < config.Output.Count; o++)
            {
                if (config.Output[o].Name == name)
                {
                    index = o;
                }
            }

            indexes[i] = index >= 0 ? index
                : throw InferenceException.InvalidArg($"unexpected inference output '{name}' for model '{config.Name}'");
        }

        return indexes;
    }

    private static void CheckByteSize(InferTensor tensor, string prefix)
    {
        var elements = TritonDataType.ElementCount(tensor.Shape);
        if (elements < 0)
        {
            throw InferenceException.InvalidArg($"{prefix}input '{tensor.Name}' has an invalid shape {tensor.ShapeText}");
        }

        var size = TritonDataType.ElementSize(tensor.Datatype);
        long expected = size > 0
            ? elements * size
            : BatchAssembler.BytesLength(tensor.Data.Span, elements, tensor.Name);
        if (expected != tensor.Data.Length)
        {
            throw InferenceException.InvalidArg(
                $"{prefix}input byte size mismatch for input '{tensor.Name}': expected {expected} bytes for shape {tensor.ShapeText} but got {tensor.Data.Length}");
        }
    }

    private static bool ShapeMatches(ReadOnlySpan<long> shape, Google.Protobuf.Collections.RepeatedField<long> dims)
    {
        if (shape.Length != dims.Count)
        {
            return false;
        }

        for (var i = 0; i < shape.Length; i++)
        {
            if (dims[i] != -1 && dims[i] != shape[i])
            {
                return false;
            }
        }

        return true;
    }

    private static InferTensor Reshaped(InferTensor tensor, IList<long> reshape, bool batched)
    {
        var shape = batched ? [tensor.Shape[0], .. reshape] : reshape.ToArray();
        return tensor with { Shape = shape };
    }

    private static string FormatDims(ModelConfig config, IList<long> dims) =>
        "[" + string.Join(',', config.MaxBatchSize > 0 ? dims.Prepend(-1) : dims) + "]";
}
