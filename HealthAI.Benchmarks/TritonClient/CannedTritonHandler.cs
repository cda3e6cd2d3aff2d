using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using HealthAI.KServe.Protocol.Inference;
using HealthAI.TritonClient;

namespace HealthAI.Benchmarks.TritonClient;

/// <summary>
/// An in-memory server for one transport: it serializes the request body (so request writing is measured) and answers with a
/// response prepared once, as the real server would render <c>logits</c> FP32 [batch, 2]. No sockets: only the client's
/// serialization, parsing and HttpClient pipeline are timed.
/// </summary>
public sealed class CannedTritonHandler : HttpMessageHandler
{
    private readonly TritonProtocol _protocol;
    private readonly byte[] _body;
    private readonly int _headerLength;

    public CannedTritonHandler(TritonProtocol protocol, int batch)
    {
        _protocol = protocol;
        var logits = new float[batch * 2];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (i % 2 == 0 ? -1.25f : 2.5f) + i * 0.001f;
        }

        switch (protocol)
        {
            case TritonProtocol.HttpBinary:
            {
                var header = Encoding.UTF8.GetBytes(
                    $$$"""{"model_name":"distilbert-sst2","model_version":"1","id":"bench","outputs":[{"name":"logits","datatype":"FP32","shape":[{{{batch}}},2],"parameters":{"binary_data_size":{{{logits.Length * 4}}}}}]}""");
                _body = new byte[header.Length + logits.Length * 4];
                header.CopyTo(_body, 0);
                for (var i = 0; i < logits.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(_body.AsSpan(header.Length + i * 4), logits[i]);
                }

                _headerLength = header.Length;
                break;
            }

            case TritonProtocol.HttpJson:
                _body = Encoding.UTF8.GetBytes(
                    $$$"""{"model_name":"distilbert-sst2","model_version":"1","id":"bench","outputs":[{"name":"logits","datatype":"FP32","shape":[{{{batch}}},2],"data":[{{{string.Join(',', logits.Select(l => l.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}}}]}]}""");
                _headerLength = _body.Length;
                break;

            default:
            {
                var response = new ModelInferResponse { ModelName = "distilbert-sst2", ModelVersion = "1", Id = "bench" };
                var output = new ModelInferResponse.Types.InferOutputTensor { Name = "logits", Datatype = "FP32" };
                output.Shape.Add(batch);
                output.Shape.Add(2);
                response.Outputs.Add(output);
                var raw = new byte[logits.Length * 4];
                for (var i = 0; i < logits.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), logits[i]);
                }

                response.RawOutputContents.Add(ByteString.CopyFrom(raw));
                var payload = response.ToByteArray();
                _body = new byte[5 + payload.Length];
                BinaryPrimitives.WriteUInt32BigEndian(_body.AsSpan(1), (uint)payload.Length);
                payload.CopyTo(_body, 5);
                break;
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await request.Content!.CopyToAsync(Stream.Null, cancellationToken);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_body), RequestMessage = request };
        switch (_protocol)
        {
            case TritonProtocol.HttpBinary:
                response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                response.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", _headerLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case TritonProtocol.HttpJson:
                response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                break;
            default:
                response.Version = HttpVersion.Version20;
                response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
                response.TrailingHeaders.TryAddWithoutValidation("grpc-status", "0");
                break;
        }

        return response;
    }
}
