using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using HealthAI.KServe.Protocol.Grpc;

namespace HealthAI.TritonClient.Grpc;

/// <summary>
/// Unary gRPC on HttpClient over HTTP/2 (h2c with prior knowledge for http://, ALPN h2 for https://), following
/// grpc/doc/PROTOCOL-HTTP2.md: POST to the method path, <c>content-type: application/grpc</c>, <c>te: trailers</c>,
/// <c>grpc-timeout</c>; one length-prefixed message each way; the status in trailers (or in the headers of a trailers-only
/// response). Messages above the configured sizes fail with RESOURCE_EXHAUSTED, as grpc-dotnet does.
/// </summary>
public sealed class HttpClientGrpcInvoker : IGrpcUnaryInvoker
{
    private readonly HttpClient _httpClient;
    private readonly Uri _address;
    private readonly int _maxSendMessageSize;
    private readonly int _maxReceiveMessageSize;

    /// <summary>Creates an invoker. <paramref name="address"/> is the server root (e.g. <c>http://127.0.0.1:8001</c>).</summary>
    public HttpClientGrpcInvoker(HttpClient httpClient, Uri address, int maxSendMessageSize = GrpcWire.DefaultMaxReceiveMessageSize,
        int maxReceiveMessageSize = GrpcWire.DefaultMaxReceiveMessageSize)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSendMessageSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxReceiveMessageSize);
        _httpClient = httpClient;
        _address = address;
        _maxSendMessageSize = maxSendMessageSize;
        _maxReceiveMessageSize = maxReceiveMessageSize;
    }

    /// <inheritdoc />
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(string method, TRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>, new()
    {
        var content = new GrpcMessageContent(request, _maxSendMessageSize);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_address, method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        message.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        if (timeout is { } t)
        {
            message.Headers.TryAddWithoutValidation(GrpcWire.TimeoutHeader, GrpcWire.FormatTimeout(t < TimeSpan.Zero ? TimeSpan.Zero : t));
        }

        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new GrpcCallException(GrpcStatusCode.Unavailable, $"Error connecting to the gRPC endpoint ({ex.HttpRequestError}).", ex);
        }

        using (response)
        {
            var result = await ReadResponseAsync<TResponse>(response, cancellationToken);
            content.Release();
            return result;
        }
    }

    private async Task<TResponse> ReadResponseAsync<TResponse>(HttpResponseMessage response, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            // Not a gRPC answer (a proxy, a wrong port): the spec maps HTTP statuses to gRPC codes.
            throw new GrpcCallException(StatusFromHttp(response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}.");
        }

        // Trailers-only response: the status is in the headers and there is no message.
        if (TryReadStatus(response.Headers, out var headerStatus, out var headerMessage))
        {
            if (headerStatus != GrpcStatusCode.OK)
            {
                throw new GrpcCallException(headerStatus, headerMessage);
            }

            throw new GrpcCallException(GrpcStatusCode.Internal, "The server sent no response message.");
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !mediaType.StartsWith(GrpcWire.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            throw new GrpcCallException(GrpcStatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {mediaType}.");
        }

        TResponse? result = default;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using (stream)
            {
                result = await ReadSingleMessageAsync<TResponse>(stream, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // A reset stream may still have carried a status (e.g. the server's deadline): prefer it over the transport error.
            if (TryReadStatus(response.TrailingHeaders, out var resetStatus, out var resetMessage) && resetStatus != GrpcStatusCode.OK)
            {
                throw new GrpcCallException(resetStatus, resetMessage, ex);
            }

            throw new GrpcCallException(GrpcStatusCode.Unavailable, "The connection to the gRPC endpoint failed while reading the response.", ex);
        }

        if (!TryReadStatus(response.TrailingHeaders, out var status, out var statusMessage))
        {
            throw new GrpcCallException(GrpcStatusCode.Internal, "The response ended without a grpc-status trailer.");
        }

        if (status != GrpcStatusCode.OK)
        {
            throw new GrpcCallException(status, statusMessage);
        }

        return result ?? throw new GrpcCallException(GrpcStatusCode.Internal, "The server sent no response message.");
    }

    /// <summary>Reads the body to its end: at most one message, then EOF (which makes the trailers available).</summary>
    private async Task<TResponse?> ReadSingleMessageAsync<TResponse>(Stream stream, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        var prefix = new byte[GrpcWire.MessagePrefixLength];
        var read = await stream.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return default;
        }

        if (read < prefix.Length || !GrpcWire.TryReadPrefix(new ReadOnlySequence<byte>(prefix), out var compressed, out var length))
        {
            throw new GrpcCallException(GrpcStatusCode.Internal, "The response ended inside a message prefix.");
        }

        if (compressed)
        {
            throw new GrpcCallException(GrpcStatusCode.Internal, "The server sent a compressed message although none was accepted.");
        }

        if (length > _maxReceiveMessageSize)
        {
            throw new GrpcCallException(GrpcStatusCode.ResourceExhausted,
                $"Received message exceeds the maximum configured message size ({length} > {_maxReceiveMessageSize}).");
        }

        var size = (int)length;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            await stream.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken);
            var parsed = new TResponse();
            // The parser copies what it keeps (ByteString fields), so the pooled buffer can go back right after.
            parsed.MergeFrom(buffer.AsSpan(0, size));

            if (await stream.ReadAsync(prefix.AsMemory(0, 1), cancellationToken) != 0)
            {
                throw new GrpcCallException(GrpcStatusCode.Internal, "The server sent more than one message on a unary call.");
            }

            return parsed;
        }
        catch (EndOfStreamException ex)
        {
            throw new GrpcCallException(GrpcStatusCode.Internal, "The response ended inside a message.", ex);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new GrpcCallException(GrpcStatusCode.Internal, "The response message could not be parsed.", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryReadStatus(HttpHeaders headers, out GrpcStatusCode status, out string message)
    {
        status = GrpcStatusCode.Unknown;
        message = string.Empty;
        if (!headers.NonValidated.TryGetValues(GrpcWire.StatusTrailer, out var values))
        {
            return false;
        }

        var text = values.ToString();
        status = int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? (GrpcStatusCode)code
            : GrpcStatusCode.Unknown;
        if (headers.NonValidated.TryGetValues(GrpcWire.MessageTrailer, out var messages))
        {
            message = GrpcWire.DecodeMessage(messages.ToString());
        }

        return true;
    }

    /// <summary>HTTP status to gRPC code for responses that are not gRPC (grpc/doc/http-grpc-status-mapping.md).</summary>
    internal static GrpcStatusCode StatusFromHttp(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => GrpcStatusCode.Internal,
        HttpStatusCode.Unauthorized => GrpcStatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => GrpcStatusCode.PermissionDenied,
        HttpStatusCode.NotFound => GrpcStatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };
}
