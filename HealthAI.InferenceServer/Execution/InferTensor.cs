namespace HealthAI.InferenceServer.Execution;

/// <summary>
/// One tensor as every protocol and backend of this server sees it: name, KServe datatype, full shape and the raw bytes in
/// row-major little-endian order (BYTES elements as a 4-byte little-endian length followed by the bytes, as Triton's binary
/// extension and gRPC raw contents carry them). Contents are never logged; only names and shapes are.
/// </summary>
public sealed record InferTensor(string Name, string Datatype, long[] Shape, ReadOnlyMemory<byte> Data)
{
    /// <summary>Dimension 0, which is the batch size for models with <c>max_batch_size</c> above zero.</summary>
    public long BatchSize => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Shape rendered for logs and error messages, e.g. <c>[1,16]</c>.</summary>
    public string ShapeText => "[" + string.Join(',', Shape) + "]";
}

/// <summary>An output the client asked for (none asked means every output).</summary>
public sealed record RequestedOutput(string Name, bool? BinaryData = null);

/// <summary>A request as it leaves a protocol front end.</summary>
/// <param name="ModelName">The model asked for.</param>
/// <param name="ModelVersion">The version asked for; null or empty for the model's version policy's choice.</param>
/// <param name="Id">The request <c>id</c>, echoed in the response when given.</param>
/// <param name="Inputs">The input tensors as sent.</param>
/// <param name="Outputs">The outputs asked for; empty for all.</param>
/// <param name="TimeoutMicroseconds">The <c>timeout</c> parameter; 0 for none.</param>
/// <param name="Priority">The <c>priority</c> parameter; 0 for the model's default level, 1 the highest.</param>
public sealed record InferenceRequest(
    string ModelName,
    string? ModelVersion,
    string? Id,
    IReadOnlyList<InferTensor> Inputs,
    IReadOnlyList<RequestedOutput> Outputs,
    long TimeoutMicroseconds = 0,
    ulong Priority = 0);

/// <summary>A response before a protocol front end renders it.</summary>
public sealed record InferenceResponse(string ModelName, string ModelVersion, string? Id, IReadOnlyList<InferTensor> Outputs);
