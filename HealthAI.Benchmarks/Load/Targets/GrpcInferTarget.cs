using System.Net.Http.Headers;
using HealthAI.Benchmarks.Load.Recording;
using HealthAI.KServe.Protocol;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.Benchmarks.Load.Targets;

/// <summary>
/// Triton's <c>inference.GRPCInferenceService/ModelInfer</c> over HTTP/2 with HttpClient (Grpc.Net.Client does not restore here):
/// a unary call is one POST with a length-prefixed message; the status comes in the trailers, or in the headers of a
/// trailers-only answer.
/// </summary>
public sealed class GrpcInferTarget : ILoadTarget
{
    private static readonly MediaTypeHeaderValue GrpcType = new(GrpcWire.ContentType);

    private readonly HttpClient _client;
    private readonly byte[][] _messages;
    private readonly TimeSpan _timeout;
    private readonly string _grpcTimeout;

    public GrpcInferTarget(HttpClient client, IReadOnlyList<byte[]> framedMessages, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfZero(framedMessages.Count);
        _client = client;
        _messages = [.. framedMessages];
        _timeout = timeout;
        _grpcTimeout = GrpcWire.FormatTimeout(timeout);
        Description = $"{client.BaseAddress} gRPC {GrpcMethods.ModelInfer}";
    }

    public string Description { get; }

    public async ValueTask<RequestOutcome> SendAsync(long sequence, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var content = new ByteArrayContent(_messages[sequence % _messages.Length]);
        content.Headers.ContentType = GrpcType;
        using var request = new HttpRequestMessage(HttpMethod.Post, GrpcMethods.ModelInfer) { Content = content, Version = _client.DefaultRequestVersion, VersionPolicy = _client.DefaultVersionPolicy };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.TryAddWithoutValidation(GrpcWire.TimeoutHeader, _grpcTimeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return HttpOutcomes.FromStatus(response);
            }

            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var status = ReadStatus(response);
            if (status != GrpcStatusCode.OK)
            {
                var kind = "grpc-" + status;
                return status is GrpcStatusCode.ResourceExhausted or GrpcStatusCode.Unavailable
                    ? RequestOutcome.Rejected(kind)
                    : RequestOutcome.Failed(kind);
            }

            return HasLogits(body) ? RequestOutcome.Success : RequestOutcome.Failed("bad-response");
        }
        catch (Exception exception) when (HttpOutcomes.FromException(exception, cancellationToken) is { } outcome)
        {
            return outcome;
        }
    }

    public void Dispose() => _client.Dispose();

    internal static GrpcStatusCode ReadStatus(HttpResponseMessage response)
    {
        if (response.TrailingHeaders.TryGetValues(GrpcWire.StatusTrailer, out var values)
            || response.Headers.TryGetValues(GrpcWire.StatusTrailer, out values))
        {
            var text = values.FirstOrDefault();
            return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var code) ? (GrpcStatusCode)code : GrpcStatusCode.Unknown;
        }

        // A gRPC answer without a status is broken (grpc/doc/PROTOCOL-HTTP2.md): report it as the spec's Unknown.
        return GrpcStatusCode.Unknown;
    }

    private static bool HasLogits(byte[] body)
    {
        if (body.Length < GrpcWire.MessagePrefixLength)
        {
            return false;
        }

        try
        {
            var reply = ModelInferResponse.Parser.ParseFrom(body.AsSpan(GrpcWire.MessagePrefixLength));
            return reply.Outputs.Any(output => output.Name == "logits");
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return false;
        }
    }
}
