namespace HealthAI.KServe.Protocol;

/// <summary>The HTTP/2 paths of the gRPC methods HealthAI's server and client speak.</summary>
public static class GrpcMethods
{
    /// <summary>Full name of Triton's inference service.</summary>
    public const string InferenceService = "inference.GRPCInferenceService";

    public const string ServerLive = "/" + InferenceService + "/ServerLive";
    public const string ServerReady = "/" + InferenceService + "/ServerReady";
    public const string ModelReady = "/" + InferenceService + "/ModelReady";
    public const string ServerMetadata = "/" + InferenceService + "/ServerMetadata";
    public const string ModelMetadata = "/" + InferenceService + "/ModelMetadata";
    public const string ModelInfer = "/" + InferenceService + "/ModelInfer";
    public const string ModelConfig = "/" + InferenceService + "/ModelConfig";
    public const string ModelStatistics = "/" + InferenceService + "/ModelStatistics";
    public const string RepositoryIndex = "/" + InferenceService + "/RepositoryIndex";
    public const string RepositoryModelLoad = "/" + InferenceService + "/RepositoryModelLoad";
    public const string RepositoryModelUnload = "/" + InferenceService + "/RepositoryModelUnload";

    /// <summary>The standard gRPC health check.</summary>
    public const string HealthCheck = "/grpc.health.v1.Health/Check";
}
