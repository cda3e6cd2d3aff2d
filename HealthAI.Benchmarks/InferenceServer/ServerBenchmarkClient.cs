using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using Google.Protobuf;
using HealthAI.KServe.Protocol;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.Benchmarks.InferenceServer;

/// <summary>A lean KServe client for load generation (gRPC raw contents, HTTP binary, HTTP JSON) that records latencies.</summary>
internal sealed class ServerBenchmarkClient(Uri http, Uri grpc) : IDisposable
{
    private readonly HttpClient _grpc = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { BaseAddress = grpc };
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = http };

    public List<double> LatenciesMs { get; } = [];

    public static byte[] GrpcInfer(string model, long[] ids, long[] mask, int batch, int sequence)
    {
        var request = new ModelInferRequest { ModelName = model };
        foreach (var (name, values) in new[] { ("input_ids", ids), ("attention_mask", mask) })
        {
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "INT64", Shape = { batch, sequence } });
            var raw = new byte[values.Length * 8];
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
            }

            request.RawInputContents.Add(ByteString.CopyFrom(raw));
        }

        var bytes = request.ToByteArray();
        var framed = new byte[GrpcWire.MessagePrefixLength + bytes.Length];
        GrpcWire.WritePrefix(framed, bytes.Length);
        bytes.CopyTo(framed, GrpcWire.MessagePrefixLength);
        return framed;
    }

    public static (byte[] Body, int HeaderLength) HttpBinaryInfer(long[] ids, long[] mask, int batch, int sequence)
    {
        var header = System.Text.Encoding.UTF8.GetBytes(
            $$$"""{"inputs":[{"name":"input_ids","shape":[{{{batch}}},{{{sequence}}}],"datatype":"INT64","parameters":{"binary_data_size":{{{ids.Length * 8}}}}},{"name":"attention_mask","shape":[{{{batch}}},{{{sequence}}}],"datatype":"INT64","parameters":{"binary_data_size":{{{mask.Length * 8}}}}}],"outputs":[{"name":"logits","parameters":{"binary_data":true}}]}""");
        var body = new byte[header.Length + ((ids.Length + mask.Length) * 8)];
        header.CopyTo(body, 0);
        var offset = header.Length;
        foreach (var value in ids.Concat(mask))
        {
            BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(offset), value);
            offset += 8;
        }

        return (body, header.Length);
    }

    public static byte[] HttpJsonInfer(long[] ids, long[] mask, int batch, int sequence) => System.Text.Encoding.UTF8.GetBytes(
        $$$"""{"inputs":[{"name":"input_ids","shape":[{{{batch}}},{{{sequence}}}],"datatype":"INT64","data":[{{{string.Join(',', ids)}}}]},{"name":"attention_mask","shape":[{{{batch}}},{{{sequence}}}],"datatype":"INT64","data":[{{{string.Join(',', mask)}}}]}]}""");

    public async Task GrpcAsync(byte[] framed)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, GrpcMethods.ModelInfer)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(framed),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(GrpcWire.ContentType);
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        using var response = await _grpc.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        if (!response.TrailingHeaders.TryGetValues(GrpcWire.StatusTrailer, out var status) || status.Single() != "0")
        {
            throw new InvalidOperationException("gRPC call failed");
        }

        Record(started);
    }

    public async Task HttpAsync(string model, byte[] body, int? headerLength)
    {
        var started = Stopwatch.GetTimestamp();
        using var content = new ByteArrayContent(body);
        if (headerLength is { } length)
        {
            content.Headers.Add("Inference-Header-Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await _http.PostAsync($"/v2/models/{model}/infer", content);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        Record(started);
    }

    /// <summary>Runs <paramref name="total"/> calls with <paramref name="concurrency"/> outstanding at a time.</summary>
    public static async Task RunConcurrentlyAsync(int total, int concurrency, Func<Task> call)
    {
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < total)
            {
                await call();
            }
        });
        await Task.WhenAll(workers);
    }

    public string Percentiles()
    {
        double[] sorted;
        lock (LatenciesMs)
        {
            sorted = [.. LatenciesMs.Order()];
        }

        if (sorted.Length == 0)
        {
            return "no samples";
        }

        double At(double p) => sorted[(int)Math.Round(p / 100 * (sorted.Length - 1))];
        return $"n={sorted.Length} p50={At(50):F1} ms p95={At(95):F1} ms";
    }

    private void Record(long started)
    {
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        lock (LatenciesMs)
        {
            LatenciesMs.Add(ms);
        }
    }

    public void Dispose()
    {
        _grpc.Dispose();
        _http.Dispose();
    }
}
