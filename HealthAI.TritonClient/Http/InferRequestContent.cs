using System.Net;
using System.Net.Http.Headers;

namespace HealthAI.TritonClient.Http;

/// <summary>
/// The body of an HTTP inference request: the JSON header, then (binary extension) each input's raw bytes written straight from
/// the caller's memory, so tensor data is copied only by the socket write.
/// </summary>
internal sealed class InferRequestContent : HttpContent
{
    /// <summary>Header naming the length of the JSON part when binary tensors follow it.</summary>
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private static readonly MediaTypeHeaderValue BinaryContentType = new("application/octet-stream");

    private readonly PooledBufferWriter _header;
    private readonly IList<InferInput>? _binaryInputs;
    private readonly long _length;

    public InferRequestContent(PooledBufferWriter header, IList<InferInput>? binaryInputs)
    {
        _header = header;
        _binaryInputs = binaryInputs;
        _length = header.WrittenCount;
        if (binaryInputs is not null)
        {
            foreach (var input in binaryInputs)
            {
                _length += input.Data.Length;
            }

            Headers.ContentType = BinaryContentType;
            Headers.TryAddWithoutValidation(HeaderLengthHeader, header.WrittenCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            Headers.ContentType = JsonContentType;
        }
    }

    public long Length => _length;

    internal void Release() => _header.Release();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(_header.WrittenMemory, cancellationToken);
        if (_binaryInputs is not null)
        {
            foreach (var input in _binaryInputs)
            {
                await stream.WriteAsync(input.Data, cancellationToken);
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
