using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;
using HealthAI.KServe.Protocol.Grpc;

namespace HealthAI.InferenceServer.Tests;

/// <summary>A raw gRPC client over HttpClient (HTTP/2 prior knowledge), so tests see frames, headers and trailers directly.</summary>
public sealed class GrpcTestClient(Uri address) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { BaseAddress = address };

    public sealed record Result(GrpcStatusCode Status, string Message, byte[]? Payload)
    {
        public T Parse<T>(MessageParser<T> parser) where T : IMessage<T> => parser.ParseFrom(Payload ?? throw new InvalidOperationException($"no message; status {Status} {Message}"));
    }

    public static byte[] Frame(IMessage message)
    {
        var bytes = message.ToByteArray();
        var framed = new byte[GrpcWire.MessagePrefixLength + bytes.Length];
        GrpcWire.WritePrefix(framed, bytes.Length);
        bytes.CopyTo(framed, GrpcWire.MessagePrefixLength);
        return framed;
    }

    public Task<Result> CallAsync(string method, IMessage request, string? timeout = null, CancellationToken cancellationToken = default) =>
        SendAsync(method, new ByteArrayContent(Frame(request)), timeout, cancellationToken);

    public async Task<Result> SendAsync(string method, HttpContent content, string? timeout = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, method)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(GrpcWire.ContentType);
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        if (timeout is not null)
        {
            request.Headers.TryAddWithoutValidation(GrpcWire.TimeoutHeader, timeout);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        byte[]? payload = null;
        if (body.Length >= GrpcWire.MessagePrefixLength)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1));
            payload = body.AsSpan(GrpcWire.MessagePrefixLength, length).ToArray();
        }

        var status = response.TrailingHeaders.TryGetValues(GrpcWire.StatusTrailer, out var statusValues)
            ? (GrpcStatusCode)int.Parse(statusValues.Single(), System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("no grpc-status trailer");
        var message = response.TrailingHeaders.TryGetValues(GrpcWire.MessageTrailer, out var messageValues)
            ? GrpcWire.DecodeMessage(messageValues.Single())
            : "";
        return new Result(status, message, payload);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Sends a body in small pieces with flushes in between, so the server sees a message split over many DATA frames.</summary>
public sealed class FragmentedContent(byte[] bytes, int pieceSize) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < bytes.Length; offset += pieceSize)
        {
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(pieceSize, bytes.Length - offset)));
            await stream.FlushAsync();
            await Task.Delay(5);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
