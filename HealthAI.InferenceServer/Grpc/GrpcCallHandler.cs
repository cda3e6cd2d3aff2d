using System.IO.Pipelines;
using Google.Protobuf;
using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Hosting;
using HealthAI.KServe.Protocol.Grpc;
using Microsoft.Extensions.Options;

namespace HealthAI.InferenceServer.Grpc;

/// <summary>A gRPC failure with its status code; the message travels percent-encoded in <c>grpc-message</c>.</summary>
public sealed class GrpcCallException(GrpcStatusCode status, string message) : Exception(message)
{
    public GrpcStatusCode Status { get; } = status;
}

/// <summary>
/// gRPC unary calls on Kestrel's HTTP/2 without Grpc.AspNetCore: reads one length-prefixed message (across any number of
/// DATA frames), enforces the receive limit and the <c>grpc-timeout</c> deadline, runs the method and writes the reply with
/// <c>grpc-status</c>/<c>grpc-message</c> trailers.
/// </summary>
public sealed class GrpcCallHandler(GrpcInferenceMethods methods, IOptions<InferenceServerOptions> options, TimeProvider timeProvider,
    ILogger<GrpcCallHandler> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || request.Protocol != "HTTP/2")
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (request.ContentType is not { } contentType || !contentType.StartsWith(GrpcWire.ContentType, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        response.ContentType = GrpcWire.ContentType;
        var method = request.Path.Value ?? "";
        CancellationTokenSource? deadline = null;
        CancellationTokenSource? linked = null;
        var status = GrpcStatusCode.OK;
        var message = "";
        try
        {
            var timeout = TimeSpan.Zero;
            if (request.Headers.TryGetValue(GrpcWire.TimeoutHeader, out var timeoutHeader)
                && !GrpcWire.TryParseTimeout(timeoutHeader.ToString(), out timeout))
            {
                throw new GrpcCallException(GrpcStatusCode.Internal, "Error parsing grpc-timeout header");
            }

            var cancellationToken = context.RequestAborted;
            if (timeout > TimeSpan.Zero)
            {
                deadline = new CancellationTokenSource(timeout, timeProvider);
                linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
                cancellationToken = linked.Token;
            }

            if (!methods.TryGet(method, out var handler))
            {
                throw new GrpcCallException(GrpcStatusCode.Unimplemented, $"Method not found: {method}");
            }

            var reply = await ReadAndInvokeAsync(request.BodyReader, handler, cancellationToken);
            await WriteMessageAsync(response, reply, cancellationToken);
        }
        catch (GrpcCallException ex)
        {
            (status, message) = (ex.Status, ex.Message);
        }
        catch (InferenceException ex)
        {
            (status, message) = (ex.GrpcStatus, ex.Message);
            Log.RequestFailed(logger, "gRPC", method, ex.Kind);
        }
        catch (InvalidProtocolBufferException)
        {
            (status, message) = (GrpcStatusCode.Internal, "Failed to deserialize request message");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            (status, message) = (GrpcStatusCode.Cancelled, "Cancelled");
        }
        catch (OperationCanceledException) when (deadline?.IsCancellationRequested == true)
        {
            (status, message) = (GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.UnexpectedError(logger, "gRPC", method, ex.GetType().Name);
            (status, message) = (GrpcStatusCode.Internal, $"internal error ({ex.GetType().Name})");
        }
        finally
        {
            linked?.Dispose();
            deadline?.Dispose();
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        response.AppendTrailer(GrpcWire.StatusTrailer, ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message.Length > 0)
        {
            response.AppendTrailer(GrpcWire.MessageTrailer, GrpcWire.EncodeMessage(message));
        }
    }

    private async Task<IMessage> ReadAndInvokeAsync(PipeReader reader, GrpcMethod handler, CancellationToken cancellationToken)
    {
        var maxSize = options.Value.GrpcMaxReceiveMessageBytes;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (GrpcWire.TryReadPrefix(buffer, out var compressed, out var length))
            {
                if (length > maxSize)
                {
                    reader.AdvanceTo(buffer.Start);
                    throw new GrpcCallException(GrpcStatusCode.ResourceExhausted,
                        $"Received message larger than max ({length} vs. {maxSize})");
                }

                if (compressed)
                {
                    reader.AdvanceTo(buffer.Start);
                    throw new GrpcCallException(GrpcStatusCode.Unimplemented, "Compressed messages are not supported (grpc-encoding identity only)");
                }

                if (buffer.Length >= GrpcWire.MessagePrefixLength + length)
                {
                    var payload = buffer.Slice(GrpcWire.MessagePrefixLength, length);
                    IMessage parsed;
                    try
                    {
                        parsed = handler.Parse(payload);
                    }
                    finally
                    {
                        reader.AdvanceTo(payload.End);
                    }

                    return await handler.Invoke(parsed, cancellationToken);
                }
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                throw new GrpcCallException(GrpcStatusCode.Internal,
                    buffer.Length == 0 ? "Request ended without a message" : "Incomplete message: the request ended inside a message");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static async Task WriteMessageAsync(HttpResponse response, IMessage reply, CancellationToken cancellationToken)
    {
        var size = reply.CalculateSize();
        var writer = response.BodyWriter;
        var span = writer.GetSpan(GrpcWire.MessagePrefixLength + size);
        GrpcWire.WritePrefix(span, size);
        reply.WriteTo(span.Slice(GrpcWire.MessagePrefixLength, size));
        writer.Advance(GrpcWire.MessagePrefixLength + size);
        await writer.FlushAsync(cancellationToken);
    }
}
