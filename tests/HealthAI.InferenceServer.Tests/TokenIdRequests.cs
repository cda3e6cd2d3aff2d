using System.Buffers.Binary;
using Google.Protobuf;
using HealthAI.KServe.Protocol.Inference;
using HealthAI.OnnxRuntime;

namespace HealthAI.InferenceServer.Tests;

/// <summary>
/// Token-id sequences for the transformer models, sent as gRPC requests (<c>input_ids</c> as given and an all-ones
/// <c>attention_mask</c>, as raw contents) or run unbatched through in-process ONNX Runtime for the expected answer.
/// </summary>
internal static class TokenIdRequests
{
    /// <summary>A deterministic sequence of <paramref name="length"/> ids framed by [CLS] and [SEP].</summary>
    public static long[] Ids(int seed, int length) =>
        [101, .. Enumerable.Range(0, length - 2).Select(i => (long)(1000 + ((seed * 7919) + (i * 104729)) % 20000)), 102];

    /// <summary>The model's first output for <paramref name="ids"/> alone (batch 1, all-ones mask), from its own session.</summary>
    public static float[] RunInProcess(string modelPath, long[] ids)
    {
        using var session = new InferenceSession(modelPath, new HealthAI.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1 });
        var mask = Enumerable.Repeat(1L, ids.Length).ToArray();
        return session.Run([TensorInput.FromInt64("input_ids", ids, 1, ids.Length), TensorInput.FromInt64("attention_mask", mask, 1, ids.Length)])[0]
            .ToArray<float>();
    }

    public static ModelInferRequest Grpc(string model, long[] ids)
    {
        var request = new ModelInferRequest { ModelName = model };
        foreach (var (name, values) in new[] { ("input_ids", ids), ("attention_mask", Enumerable.Repeat(1L, ids.Length).ToArray()) })
        {
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "INT64", Shape = { 1, ids.Length } });
            var raw = new byte[values.Length * 8];
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
            }

            request.RawInputContents.Add(ByteString.CopyFrom(raw));
        }

        return request;
    }
}
