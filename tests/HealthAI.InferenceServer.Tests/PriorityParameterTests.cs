using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Grpc;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Tests;

/// <summary>The gRPC <c>priority</c> request parameter (Triton's schedule_policy extension) as the scheduler receives it.</summary>
public sealed class PriorityParameterTests
{
    private static ModelInferRequest Request(InferParameter? priority)
    {
        var request = new ModelInferRequest { ModelName = "m" };
        if (priority is not null)
        {
            request.Parameters.Add("priority", priority);
        }

        return request;
    }

    [Fact]
    public void Uint64_and_non_negative_int64_priorities_are_taken_and_absent_means_zero()
    {
        Assert.Equal(2UL, GrpcTensorCodec.ToRequest(Request(new InferParameter { Uint64Param = 2 })).Priority);
        Assert.Equal(1UL, GrpcTensorCodec.ToRequest(Request(new InferParameter { Int64Param = 1 })).Priority);
        Assert.Equal(0UL, GrpcTensorCodec.ToRequest(Request(null)).Priority);
    }

    [Fact]
    public void A_negative_or_non_integer_priority_is_invalid_argument()
    {
        var negative = Assert.Throws<InferenceException>(() => GrpcTensorCodec.ToRequest(Request(new InferParameter { Int64Param = -1 })));
        var text = Assert.Throws<InferenceException>(() => GrpcTensorCodec.ToRequest(Request(new InferParameter { StringParam = "high" })));

        Assert.Equal(TritonErrorKind.InvalidArg, negative.Kind);
        Assert.Equal("parameter 'priority' must be a non-negative integer", text.Message);
    }
}
