using Google.Protobuf;
using HealthAI.KServe.Protocol.Grpc;

namespace HealthAI.TritonClient.Grpc;

/// <summary>
/// The one thing the Triton client needs from a gRPC stack: a unary call. <see cref="HttpClientGrpcInvoker"/> implements it on
/// HttpClient's HTTP/2 because Grpc.Net.Client does not restore here; an adapter over Grpc.Net.Client's <c>CallInvoker</c>
/// (translating <c>RpcException</c> to <see cref="GrpcCallException"/>) can replace it without touching the rest.
/// </summary>
public interface IGrpcUnaryInvoker
{
    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="method"/> (e.g. <c>/inference.GRPCInferenceService/ModelInfer</c>) and
    /// returns the response. <paramref name="timeout"/> goes to the server as <c>grpc-timeout</c>. Raises
    /// <see cref="GrpcCallException"/> for a non-OK status and <see cref="OperationCanceledException"/> on cancellation.
    /// </summary>
    Task<TResponse> UnaryAsync<TRequest, TResponse>(string method, TRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>, new();
}

/// <summary>A gRPC call ended with a non-OK status (from the server's trailers, or set by the client for transport failures).</summary>
public sealed class GrpcCallException : Exception
{
    public GrpcCallException()
        : this(GrpcStatusCode.Unknown, string.Empty)
    {
    }

    public GrpcCallException(string message)
        : this(GrpcStatusCode.Unknown, message)
    {
    }

    public GrpcCallException(string message, Exception? innerException)
        : this(GrpcStatusCode.Unknown, message, innerException)
    {
    }

    public GrpcCallException(GrpcStatusCode status, string statusMessage, Exception? innerException = null)
        : base($"gRPC call failed with {status}.", innerException)
    {
        Status = status;
        StatusMessage = statusMessage;
    }

    /// <summary>The status code.</summary>
    public GrpcStatusCode Status { get; }

    /// <summary>The (decoded) <c>grpc-message</c>.</summary>
    public string StatusMessage { get; }
}
