using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.TritonClient.Http;

/// <summary>
/// The Triton API over KServe v2 HTTP/REST, with or without the binary tensor data extension. Health answers are the status code
/// (200 = true, 4xx or 503 = false); errors are <c>{"error": "..."}</c> with Triton's status mapping. Metadata, config and
/// statistics JSON are read into the protocol's protobuf messages (Triton writes proto field names).
/// </summary>
internal sealed class HttpTritonTransport : ITritonTransport
{
    private static readonly JsonParser ProtoJson = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private const int MaxErrorBodyLength = 64 * 1024;

    private readonly HttpClient _httpClient;
    private readonly Uri _baseAddress;
    private readonly bool _binary;
    private readonly int _maxSendMessageSize;
    private readonly int _maxReceiveMessageSize;
    private readonly ConcurrentDictionary<(string Model, string? Version), Uri> _inferUris = new();

    public HttpTritonTransport(HttpClient httpClient, Uri baseAddress, bool binary, int maxSendMessageSize, int maxReceiveMessageSize)
    {
        _httpClient = httpClient;
        // A trailing slash makes relative paths append instead of replacing the last segment.
        _baseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _binary = binary;
        _maxSendMessageSize = maxSendMessageSize;
        _maxReceiveMessageSize = maxReceiveMessageSize;
    }

    public Task<bool> ServerLiveAsync(CallContext call) => HealthAsync("v2/health/live", call, null);

    public Task<bool> ServerReadyAsync(CallContext call) => HealthAsync("v2/health/ready", call, null);

    public Task<bool> ModelReadyAsync(string modelName, string? modelVersion, CallContext call) =>
        HealthAsync(ModelPath(modelName, modelVersion, "/ready"), call, modelName);

    public Task<ServerMetadataResponse> ServerMetadataAsync(CallContext call) =>
        GetProtoAsync<ServerMetadataResponse>("v2", call, null);

    public Task<ModelMetadataResponse> ModelMetadataAsync(string modelName, string? modelVersion, CallContext call) =>
        GetProtoAsync<ModelMetadataResponse>(ModelPath(modelName, modelVersion, string.Empty), call, modelName);

    public Task<ModelConfig> ModelConfigAsync(string modelName, string? modelVersion, CallContext call) =>
        GetProtoAsync<ModelConfig>(ModelPath(modelName, modelVersion, "/config"), call, modelName);

    public Task<ModelStatisticsResponse> ModelStatisticsAsync(string? modelName, string? modelVersion, CallContext call) =>
        GetProtoAsync<ModelStatisticsResponse>(modelName is null ? "v2/models/stats" : ModelPath(modelName, modelVersion, "/stats"), call, modelName);

    public async Task<IReadOnlyList<RepositoryIndexResponse.Types.ModelIndex>> RepositoryIndexAsync(bool readyOnly, CallContext call)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseAddress, "v2/repository/index"))
        {
            Content = new StringContent(readyOnly ? "{\"ready\":true}" : "{\"ready\":false}", Encoding.UTF8, "application/json"),
        };
        var body = await SendAsync(request, call, null, null);
        // The endpoint answers a bare array; the protobuf message wraps it in "models".
        var json = "{\"models\":" + Encoding.UTF8.GetString(body.Span) + "}";
        return Parse<RepositoryIndexResponse>(json, call, null).Models;
    }

    public async Task LoadModelAsync(string modelName, CallContext call)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseAddress, $"v2/repository/models/{Uri.EscapeDataString(modelName)}/load"));
        await SendAsync(request, call, modelName, null);
    }

    public async Task UnloadModelAsync(string modelName, CallContext call)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseAddress, $"v2/repository/models/{Uri.EscapeDataString(modelName)}/unload"));
        await SendAsync(request, call, modelName, null);
    }

    public async Task<InferResult> InferAsync(InferRequest request, CallContext call)
    {
        var content = InferRequestWriter.CreateContent(request, _binary);
        if (content.Length > _maxSendMessageSize)
        {
            content.Release();
            throw new TritonException(call.Operation, GrpcStatusCode.ResourceExhausted, null,
                $"The request body of {content.Length} bytes exceeds MaxSendMessageSize ({_maxSendMessageSize}).", request.ModelName, request.Id);
        }

        var uri = _inferUris.GetOrAdd((request.ModelName, request.ModelVersion),
            static (key, self) => new Uri(self._baseAddress, ModelPath(key.Model, key.Version, "/infer")), this);
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        var (body, headerLength) = await SendForInferAsync(message, call, request);
        content.Release();
        try
        {
            return InferResponseReader.Read(body, headerLength);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or OverflowException)
        {
            throw new TritonException(call.Operation, GrpcStatusCode.Internal, null, $"Malformed inference response: {ex.Message}",
                request.ModelName, request.Id, ex);
        }
    }

    private async Task<(ReadOnlyMemory<byte> Body, int HeaderLength)> SendForInferAsync(HttpRequestMessage message, CallContext call, InferRequest request)
    {
        using var response = await SendCoreAsync(message, call, request.ModelName, request.Id);
        await ThrowIfFailedAsync(response, call, request.ModelName, request.Id);
        var body = await ReadBodyAsync(response, call, request.ModelName, request.Id);
        var headerLength = body.Length;
        if (TryGetHeader(response, InferRequestContent.HeaderLengthHeader, out var value))
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out headerLength))
            {
                throw new TritonException(call.Operation, GrpcStatusCode.Internal, response.StatusCode,
                    "Unable to parse Inference-Header-Content-Length.", request.ModelName, request.Id);
            }
        }

        return (body, headerLength);
    }

    private async Task<bool> HealthAsync(string path, CallContext call, string? modelName)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, path));
        using var response = await SendCoreAsync(request, call, modelName, null);
        var status = (int)response.StatusCode;
        if (status == 200)
        {
            return true;
        }

        // Triton answers 400 for "not live/ready" and for an unknown model; a draining server answers 503.
        if (status is >= 400 and < 500 and not 401 and not 403 and not 429 || status == 503)
        {
            return false;
        }

        await ThrowIfFailedAsync(response, call, modelName, null);
        return false;
    }

    private async Task<T> GetProtoAsync<T>(string path, CallContext call, string? modelName) where T : IMessage, new()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, path));
        var body = await SendAsync(request, call, modelName, null);
        return Parse<T>(Encoding.UTF8.GetString(body.Span), call, modelName);
    }

    private static T Parse<T>(string json, CallContext call, string? modelName) where T : IMessage, new()
    {
        try
        {
            return ProtoJson.Parse<T>(json);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw new TritonException(call.Operation, GrpcStatusCode.Internal, null, $"Malformed {typeof(T).Name} JSON.", modelName, null, ex);
        }
    }

    private async Task<ReadOnlyMemory<byte>> SendAsync(HttpRequestMessage request, CallContext call, string? modelName, string? requestId)
    {
        using var response = await SendCoreAsync(request, call, modelName, requestId);
        await ThrowIfFailedAsync(response, call, modelName, requestId);
        return await ReadBodyAsync(response, call, modelName, requestId);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CallContext call, string? modelName, string? requestId)
    {
        try
        {
            return await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, call.CancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new TritonException(call.Operation, GrpcStatusCode.Unavailable, ex.StatusCode,
                $"The server could not be reached ({ex.HttpRequestError}).", modelName, requestId, ex);
        }
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CallContext call, string? modelName, string? requestId)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var message = string.Empty;
        try
        {
            var length = response.Content.Headers.ContentLength;
            if (length is null or <= MaxErrorBodyLength)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(call.CancellationToken);
                message = ReadErrorMessage(bytes);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The status code alone still says what happened.
        }

        throw new TritonException(call.Operation, TritonException.FromHttpStatus(response.StatusCode), response.StatusCode,
            message, modelName, requestId);
    }

    /// <summary>Reads <c>{"error": "..."}</c>; other bodies (a proxy's HTML) are not quoted.</summary>
    internal static string ReadErrorMessage(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return string.Empty;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                if (isError && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString() ?? string.Empty;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return string.Empty;
    }

    private async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpResponseMessage response, CallContext call, string? modelName, string? requestId)
    {
        try
        {
            var declared = response.Content.Headers.ContentLength;
            if (declared > _maxReceiveMessageSize)
            {
                throw TooLarge(declared.Value, call, modelName, requestId);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(call.CancellationToken);
            if (declared is { } exact)
            {
                var buffer = new byte[exact];
                await stream.ReadExactlyAsync(buffer, call.CancellationToken);
                return buffer;
            }

            // Chunked: grow, but never past the limit.
            using var copy = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, call.CancellationToken)) > 0)
            {
                if (copy.Length + read > _maxReceiveMessageSize)
                {
                    throw TooLarge(copy.Length + read, call, modelName, requestId);
                }

                copy.Write(chunk, 0, read);
            }

            return copy.GetBuffer().AsMemory(0, (int)copy.Length);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new TritonException(call.Operation, GrpcStatusCode.Unavailable, null,
                "The connection failed while reading the response.", modelName, requestId, ex);
        }
    }

    private TritonException TooLarge(long length, CallContext call, string? modelName, string? requestId) =>
        new(call.Operation, GrpcStatusCode.ResourceExhausted, null,
            $"The response of {length} bytes exceeds MaxReceiveMessageSize ({_maxReceiveMessageSize}).", modelName, requestId);

    private static bool TryGetHeader(HttpResponseMessage response, string name, out string? value)
    {
        value = null;
        if (response.Headers.NonValidated.TryGetValues(name, out var values)
            || response.Content.Headers.NonValidated.TryGetValues(name, out values))
        {
            value = values.ToString();
            return true;
        }

        return false;
    }

    private static string ModelPath(string modelName, string? modelVersion, string suffix)
    {
        var name = Uri.EscapeDataString(modelName);
        return string.IsNullOrEmpty(modelVersion)
            ? $"v2/models/{name}{suffix}"
            : $"v2/models/{name}/versions/{Uri.EscapeDataString(modelVersion)}{suffix}";
    }
}
