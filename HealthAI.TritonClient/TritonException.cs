using System.Net;
using HealthAI.KServe.Protocol.Grpc;

namespace HealthAI.TritonClient;

/// <summary>
/// A failed Triton call, whatever the transport: the server's own message, the HTTP status or gRPC status, the model and the
/// request id, and whether trying again may help (<see cref="IsTransient"/>). <see cref="Status"/> is always set: HTTP statuses
/// are mapped to the gRPC code Triton pairs them with (404 = NOT_FOUND, 400 = INVALID_ARGUMENT, 503 = UNAVAILABLE, ...).
/// <see cref="Exception.Message"/> holds only the operation, model and status. The server's own text is kept apart in
/// <see cref="ServerMessage"/>: a server may quote request content in it, so callers decide whether it may be shown or logged.
/// </summary>
public sealed class TritonException : Exception
{
    /// <summary>Longest server message kept; the rest is cut so an echoing server cannot flood logs.</summary>
    public const int MaxServerMessageLength = 512;

    public TritonException()
        : this("Triton call failed.")
    {
    }

    public TritonException(string message)
        : this(message, null)
    {
    }

    public TritonException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ServerMessage = string.Empty;
        Status = GrpcStatusCode.Unknown;
    }

    internal TritonException(
        string operation,
        GrpcStatusCode status,
        HttpStatusCode? httpStatus,
        string? serverMessage,
        string? modelName,
        string? requestId,
        Exception? innerException = null)
        : base(Describe(operation, status, httpStatus, modelName), innerException)
    {
        Operation = operation;
        Status = status;
        HttpStatus = httpStatus;
        ServerMessage = Truncate(serverMessage);
        ModelName = modelName;
        RequestId = requestId;
        IsTransient = IsTransientStatus(status, httpStatus);
    }

    /// <summary>The call that failed: <c>infer</c>, <c>model-ready</c>, <c>model-metadata</c>, ...</summary>
    public string? Operation { get; }

    /// <summary>The gRPC status (for HTTP, the code Triton pairs with the HTTP status; for client deadlines, DeadlineExceeded).</summary>
    public GrpcStatusCode Status { get; }

    /// <summary>The HTTP status when the call went over HTTP and the server answered.</summary>
    public HttpStatusCode? HttpStatus { get; }

    /// <summary>The server's error text (<c>{"error": ...}</c> or <c>grpc-message</c>), cut to <see cref="MaxServerMessageLength"/>.</summary>
    public string ServerMessage { get; }

    /// <summary>The model the call was about, if any.</summary>
    public string? ModelName { get; }

    /// <summary>The request id the caller gave, if any.</summary>
    public string? RequestId { get; }

    /// <summary>
    /// True when the same request may succeed later: the server or network was unavailable, overloaded (queue full) or too slow.
    /// False for errors in the request or the model (bad shape, unknown model, internal model failure).
    /// </summary>
    public bool IsTransient { get; }

    /// <summary>Classification used by <see cref="IsTransient"/>.</summary>
    public static bool IsTransientStatus(GrpcStatusCode status, HttpStatusCode? httpStatus = null) =>
        status is GrpcStatusCode.Unavailable or GrpcStatusCode.DeadlineExceeded or GrpcStatusCode.ResourceExhausted or GrpcStatusCode.Aborted
        || httpStatus is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The gRPC code for an HTTP status, as Triton pairs them (http_server.cc / grpc_utils.cc).</summary>
    public static GrpcStatusCode FromHttpStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => GrpcStatusCode.InvalidArgument,
        HttpStatusCode.Unauthorized => GrpcStatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => GrpcStatusCode.PermissionDenied,
        HttpStatusCode.NotFound => GrpcStatusCode.NotFound,
        HttpStatusCode.Conflict => GrpcStatusCode.AlreadyExists,
        HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => GrpcStatusCode.DeadlineExceeded,
        HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.TooManyRequests => GrpcStatusCode.ResourceExhausted,
        HttpStatusCode.InternalServerError => GrpcStatusCode.Internal,
        HttpStatusCode.NotImplemented => GrpcStatusCode.Unimplemented,
        HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };

    private static string Truncate(string? message) =>
        message is null ? string.Empty : message.Length <= MaxServerMessageLength ? message : message[..MaxServerMessageLength] + "...";

    private static string Describe(string operation, GrpcStatusCode status, HttpStatusCode? httpStatus, string? model)
    {
        var target = model is null ? string.Empty : $" on model '{model}'";
        var http = httpStatus is { } h ? $"HTTP {(int)h}, " : string.Empty;
        return $"Triton {operation}{target} failed ({http}{status}).";
    }
}
