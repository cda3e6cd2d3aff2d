using System.Text.Json;
using Google.Protobuf;
using HealthAI.KServe.Protocol;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HealthAI.Benchmarks.Tests;

/// <summary>Fakes of the services' contracts, strict enough that a malformed request from the load generator fails.</summary>
internal static class FakeServices
{
    /// <summary>KServe v2 JSON infer: checks both INT64 [1,S] inputs of equal length and answers logits.</summary>
    public static void MapKServeJson(WebApplication app, Func<int, IResult?>? misbehave = null, string? requiredProtocol = null)
    {
        var calls = 0;
        app.MapPost("/v2/models/distilbert-sst2/infer", async (HttpRequest request) =>
        {
            var call = Interlocked.Increment(ref calls);
            if (requiredProtocol is not null && request.Protocol != requiredProtocol)
            {
                return Results.StatusCode(505);
            }

            if (misbehave?.Invoke(call) is { } answer)
            {
                return answer;
            }

            using var document = await JsonDocument.ParseAsync(request.Body);
            var inputs = document.RootElement.GetProperty("inputs").EnumerateArray().ToList();
            var names = inputs.Select(i => i.GetProperty("name").GetString()).ToList();
            var lengths = inputs.Select(i => i.GetProperty("data").GetArrayLength()).Distinct().ToList();
            var valid = names.SequenceEqual(["input_ids", "attention_mask"])
                && inputs.All(i => i.GetProperty("datatype").GetString() == "INT64" && i.GetProperty("shape")[0].GetInt32() == 1)
                && lengths.Count == 1 && inputs[0].GetProperty("shape")[1].GetInt32() == lengths[0];
            return valid
                ? Results.Json(new { model_name = "distilbert-sst2", outputs = new[] { new { name = "logits", datatype = "FP32", shape = new[] { 1, 2 }, data = new[] { 0.2, 0.8 } } } })
                : Results.Json(new { error = "bad request" }, statusCode: 400);
        });
    }

    /// <summary>Triton's gRPC ModelInfer over h2c: parses the framed request, answers logits, status in trailers.</summary>
    public static void MapKServeGrpc(WebApplication app, GrpcStatusCode status = GrpcStatusCode.OK)
    {
        app.MapPost(GrpcMethods.ModelInfer, async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var bytes = buffer.ToArray();
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1, 4));
            var request = ModelInferRequest.Parser.ParseFrom(bytes.AsSpan(GrpcWire.MessagePrefixLength, length));
            context.Response.ContentType = GrpcWire.ContentType;
            var valid = context.Request.Protocol == "HTTP/2" && request.ModelName == "distilbert-sst2" && request.Inputs.Count == 2
                && request.Inputs.All(i => i.Datatype == "INT64" && i.Shape.Count == 2 && i.Contents.Int64Contents.Count == i.Shape[1]);
            if (!valid || status != GrpcStatusCode.OK)
            {
                context.Response.AppendTrailer(GrpcWire.StatusTrailer, ((int)(valid ? status : GrpcStatusCode.InvalidArgument)).ToString(System.Globalization.CultureInfo.InvariantCulture));
                return;
            }

            var reply = new ModelInferResponse { ModelName = request.ModelName };
            var logits = new ModelInferResponse.Types.InferOutputTensor { Name = "logits", Datatype = "FP32", Contents = new InferTensorContents() };
            logits.Shape.Add(1);
            logits.Shape.Add(2);
            logits.Contents.Fp32Contents.Add([0.3f, 0.7f]);
            reply.Outputs.Add(logits);
            var framed = new byte[GrpcWire.MessagePrefixLength + reply.CalculateSize()];
            GrpcWire.WritePrefix(framed, framed.Length - GrpcWire.MessagePrefixLength);
            reply.WriteTo(framed.AsSpan(GrpcWire.MessagePrefixLength));
            await context.Response.Body.WriteAsync(framed);
            context.Response.AppendTrailer(GrpcWire.StatusTrailer, "0");
        });
    }
}
