using System.Text.Json;
using Google.Protobuf;
using HealthAI.Benchmarks.Load.Corpus;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.Benchmarks.Load.Targets;

/// <summary>The request bodies of every scenario, built once per corpus item before the clock starts.</summary>
public static class RequestBodies
{
    public const string ModelName = "distilbert-sst2";

    /// <summary>Gateway <c>POST /v1/notes/analyze</c>.</summary>
    public static byte[] Analyze(string text) => Json(writer =>
    {
        writer.WriteString("text", text);
        writer.WriteStartObject("deid");
        writer.WriteString("mode", "placeholder");
        writer.WriteEndObject();
        writer.WriteBoolean("returnText", false);
    });

    /// <summary>Deid <c>POST /v1/deidentify</c>.</summary>
    public static byte[] Deidentify(string text) => Json(writer =>
    {
        writer.WriteString("text", text);
        writer.WriteString("mode", "placeholder");
    });

    /// <summary>Tokenizer <c>POST /v1/tokenize</c>.</summary>
    public static byte[] Tokenize(string text, int maxLength = SyntheticTokenIds.MaxLength) => Json(writer =>
    {
        writer.WriteStartArray("texts");
        writer.WriteStringValue(text);
        writer.WriteEndArray();
        writer.WriteNumber("maxLength", maxLength);
        writer.WriteString("padding", "bucket");
    });

    /// <summary>Tokenizer <c>POST /v1/classify</c>.</summary>
    public static byte[] Classify(string text) => Json(writer =>
    {
        writer.WriteStartArray("texts");
        writer.WriteStringValue(text);
        writer.WriteEndArray();
    });

    /// <summary>KServe v2 JSON <c>POST /v2/models/{model}/infer</c> with one row.</summary>
    public static byte[] KServeJson(string text, int maxLength = SyntheticTokenIds.MaxLength)
    {
        var (ids, mask) = SyntheticTokenIds.Encode(text, maxLength);
        return Json(writer =>
        {
            writer.WriteStartArray("inputs");
            WriteTensor(writer, "input_ids", ids);
            WriteTensor(writer, "attention_mask", mask);
            writer.WriteEndArray();
            writer.WriteStartArray("outputs");
            writer.WriteStartObject();
            writer.WriteString("name", "logits");
            writer.WriteEndObject();
            writer.WriteEndArray();
        });
    }

    /// <summary>A length-prefixed gRPC <c>ModelInferRequest</c> message with one row.</summary>
    public static byte[] KServeGrpc(string text, int maxLength = SyntheticTokenIds.MaxLength)
    {
        var (ids, mask) = SyntheticTokenIds.Encode(text, maxLength);
        var request = new ModelInferRequest { ModelName = ModelName };
        request.Inputs.Add(GrpcTensor("input_ids", ids));
        request.Inputs.Add(GrpcTensor("attention_mask", mask));
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "logits" });
        var size = request.CalculateSize();
        var framed = new byte[GrpcWire.MessagePrefixLength + size];
        GrpcWire.WritePrefix(framed, size);
        request.WriteTo(framed.AsSpan(GrpcWire.MessagePrefixLength));
        return framed;
    }

    private static ModelInferRequest.Types.InferInputTensor GrpcTensor(string name, long[] values)
    {
        var tensor = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "INT64", Contents = new InferTensorContents() };
        tensor.Shape.Add(1);
        tensor.Shape.Add(values.Length);
        tensor.Contents.Int64Contents.Add(values);
        return tensor;
    }

    private static void WriteTensor(Utf8JsonWriter writer, string name, long[] values)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteStartArray("shape");
        writer.WriteNumberValue(1);
        writer.WriteNumberValue(values.Length);
        writer.WriteEndArray();
        writer.WriteString("datatype", "INT64");
        writer.WriteStartArray("data");
        foreach (var value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
