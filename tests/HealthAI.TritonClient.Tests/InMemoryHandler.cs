using System.Net;
using System.Net.Http.Headers;

namespace HealthAI.TritonClient.Tests;

/// <summary>An HttpMessageHandler that answers from a delegate and records what was sent (body bytes included).</summary>
internal sealed class InMemoryHandler(Func<HttpRequestMessage, byte[], CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    /// <summary>Each request, its body, and its URI as it was when sent (outer handlers may restore a logical one afterwards).</summary>
    public List<(HttpRequestMessage Request, byte[] Body, Uri SentUri)> Requests { get; } = [];

    public int Calls => Requests.Count;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add((request, body, request.RequestUri!));
        }

        var response = await respond(request, body, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Binary(byte[] body, int headerLength)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        response.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", headerLength.ToString());
        return response;
    }

    /// <summary>A gRPC response: one framed message (or none) with the status in trailers.</summary>
    public static HttpResponseMessage Grpc(byte[]? framedMessage, int status, string? message = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Version = HttpVersion.Version20,
            Content = new ByteArrayContent(framedMessage ?? []),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        response.TrailingHeaders.TryAddWithoutValidation("grpc-status", status.ToString());
        if (message is not null)
        {
            response.TrailingHeaders.TryAddWithoutValidation("grpc-message", message);
        }

        return response;
    }

    public static byte[] Frame(Google.Protobuf.IMessage message)
    {
        var payload = Google.Protobuf.MessageExtensions.ToByteArray(message);
        var framed = new byte[5 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(framed, 5);
        return framed;
    }
}

internal static class Clients
{
    public static TritonClient Create(InMemoryHandler handler, TritonProtocol protocol, Action<TritonClientSettings>? configure = null)
    {
        var settings = new TritonClientSettings
        {
            Protocol = protocol,
            Endpoint = new Uri("http://triton.test:8000"),
            GrpcEndpoint = new Uri("http://triton.test:8001"),
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        };
        configure?.Invoke(settings);
        return new TritonClient(new HttpClient(handler), settings);
    }
}
