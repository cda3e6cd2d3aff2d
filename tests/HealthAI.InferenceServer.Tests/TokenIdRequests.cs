using System.Buffers.Binary;
using Google.Protobuf;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Tests;

/// <summary>gRPC requests for the transformer models: <c>input_ids</c> as given and an all-ones <c>attention_mask</c>, as raw contents.</summary>
internal static class TokenIdRequests
{
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
