namespace HealthAI.InferenceServer.Execution;

/// <summary>Triton's error kinds; one place maps them to HTTP and gRPC status.</summary>
public enum TritonErrorKind
{
    Internal,
    NotFound,
    InvalidArg,
    Unavailable,
    Unsupported,
    AlreadyExists,
    Cancelled,
    Unknown,
}

/// <summary>
/// An error that goes back to the client as Triton words it. Messages name models, tensors, shapes and sizes; they never quote
/// tensor contents.
/// </summary>
public sealed class InferenceException(TritonErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public TritonErrorKind Kind { get; } = kind;

    /// <summary>Triton's HTTP mapping (HttpCodeFromError).</summary>
    public int HttpStatus => Kind switch
    {
        TritonErrorKind.Internal => 500,
        TritonErrorKind.NotFound => 404,
        TritonErrorKind.Unavailable => 503,
        TritonErrorKind.Unsupported => 501,
        _ => 400,
    };

    /// <summary>Triton's gRPC mapping (grpc_utils.cc).</summary>
    public KServe.Protocol.Grpc.GrpcStatusCode GrpcStatus => Kind switch
    {
        TritonErrorKind.Internal => KServe.Protocol.Grpc.GrpcStatusCode.Internal,
        TritonErrorKind.NotFound => KServe.Protocol.Grpc.GrpcStatusCode.NotFound,
        TritonErrorKind.Unavailable => KServe.Protocol.Grpc.GrpcStatusCode.Unavailable,
        TritonErrorKind.Unsupported => KServe.Protocol.Grpc.GrpcStatusCode.Unimplemented,
        TritonErrorKind.InvalidArg => KServe.Protocol.Grpc.GrpcStatusCode.InvalidArgument,
        TritonErrorKind.AlreadyExists => KServe.Protocol.Grpc.GrpcStatusCode.AlreadyExists,
        TritonErrorKind.Cancelled => KServe.Protocol.Grpc.GrpcStatusCode.Cancelled,
        _ => KServe.Protocol.Grpc.GrpcStatusCode.Unknown,
    };

    public static InferenceException InvalidArg(string message) => new(TritonErrorKind.InvalidArg, message);
    public static InferenceException NotFound(string message) => new(TritonErrorKind.NotFound, message);
    public static InferenceException Unavailable(string message) => new(TritonErrorKind.Unavailable, message);
}
