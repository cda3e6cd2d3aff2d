using System.Buffers;
using System.Diagnostics;
using HealthAI.Gateway.Logging;

namespace HealthAI.Gateway.Forwarding;

/// <summary>
/// Forwards one request to a cluster's destination and streams the answer back, the way YARP's <c>HttpForwarder</c> does.
/// </summary>
/// <remarks>
/// <code>
///  client --(1)--> gateway --(3)--> destination
///  client &lt;-(6)--- gateway &lt;-(4)--- destination
/// </code>
/// (0) resolve the destination; none -> 503. (1) build the outgoing request: same method, path and query; body streamed from
/// the client, never buffered. (2) copy headers except hop-by-hop ones, add X-Forwarded-*, let the handler inject trace
/// context. (3) send, waiting for headers only, under the cluster's activity timeout and the client's cancellation.
/// (4) failure before headers -> 502 (504 on timeout), written as ProblemDetails by the caller. (5) copy status and headers.
/// (6) copy the body through one pooled buffer, flushing each chunk so streamed answers stay streamed (but the last of a sized body); a failure now can only
/// abort the connection, since the status has been sent.
/// </remarks>
public sealed class HttpForwarder(TimeProvider timeProvider, ILogger<HttpForwarder> logger)
{
    private const int BufferSize = 64 * 1024;

    internal async ValueTask<ForwarderError> SendAsync(HttpContext context, ForwardedCluster cluster, string routeId)
    {
        // (0)
        var prefix = cluster.TryGetDestinationPrefix();
        if (prefix is null)
        {
            return Report(context, routeId, cluster, ForwarderError.NoAvailableDestinations, null);
        }

        // (1) One timer-backed source per request; the client's abort is chained in by registration rather than a second source.
        using var activity = new CancellationTokenSource(cluster.ActivityTimeout, timeProvider);
        using var abortRegistration = context.RequestAborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), activity);
        var request = context.Request;
        using var outgoing = new HttpRequestMessage(HttpMethod.Parse(request.Method), string.Concat(prefix, request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), request.QueryString.Value))
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0))
        {
            outgoing.Content = new StreamContent(request.Body, BufferSize);
        }

        // (2)
        RequestUtilities.CopyRequestHeaders(context, outgoing, Activity.Current is not null);
        RequestUtilities.AddForwardedHeaders(context, outgoing);

        // (3)
        HttpResponseMessage response;
        try
        {
            response = await cluster.Invoker.SendAsync(outgoing, activity.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
        {
            // (4) A client body that broke a limit is the client's error, not the destination's.
            if (ex.InnerException is BadHttpRequestException bad)
            {
                throw bad;
            }

            var error = context.RequestAborted.IsCancellationRequested ? ForwarderError.RequestCanceled
                : activity.IsCancellationRequested ? ForwarderError.RequestTimedOut
                : ForwarderError.Request;
            return Report(context, routeId, cluster, error, ex);
        }

        using (response)
        {
            // (5)
            var target = context.Response;
            target.StatusCode = (int)response.StatusCode;
            RequestUtilities.CopyResponseHeaders(response.Headers, target.Headers);
            RequestUtilities.CopyResponseHeaders(response.Content.Headers, target.Headers);

            // (6)
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                using var body = await response.Content.ReadAsStreamAsync(activity.Token);
                var remaining = response.Content.Headers.ContentLength;
                int read;
                while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), activity.Token)) > 0)
                {
                    await target.Body.WriteAsync(buffer.AsMemory(0, read), activity.Token);
                    // Each chunk is flushed so streamed answers stay streamed, except the one that completes a body of known
                    // length: the server sends that as the response ends, and flushing first would cost a separate send.
                    remaining -= read;
                    if (remaining is null or > 0)
                    {
                        await target.Body.FlushAsync(activity.Token);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
            {
                var error = context.RequestAborted.IsCancellationRequested ? ForwarderError.ResponseBodyCanceled : ForwarderError.ResponseBodyDestination;
                Report(context, routeId, cluster, error, ex);
                context.Abort();
                return error;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return ForwarderError.None;
    }

    /// <summary>The status a forwarder error is answered with while the response has not started.</summary>
    public static int StatusCodeOf(ForwarderError error) => error switch
    {
        ForwarderError.RequestTimedOut => StatusCodes.Status504GatewayTimeout,
        ForwarderError.NoAvailableDestinations => StatusCodes.Status503ServiceUnavailable,
        ForwarderError.RequestCanceled or ForwarderError.ResponseBodyCanceled => 499,
        _ => StatusCodes.Status502BadGateway,
    };

    private ForwarderError Report(HttpContext context, string routeId, ForwardedCluster cluster, ForwarderError error, Exception? ex)
    {
        context.Features.Set<IForwarderErrorFeature>(new ForwarderErrorFeature(error));
        if (logger.IsEnabled(LogLevel.Warning))
        {
            Log.ForwardingFailed(logger, routeId, cluster.Id, error.ToString(), ex?.GetType().Name ?? "none", ProblemDetailsExtensions.GetRequestId(context));
        }
        return error;
    }
}

/// <summary>The forwarding failure of this request, for middleware that renders or counts it (YARP's feature of the same name).</summary>
public interface IForwarderErrorFeature
{
    /// <summary>What failed.</summary>
    ForwarderError Error { get; }
}

internal sealed record ForwarderErrorFeature(ForwarderError Error) : IForwarderErrorFeature;
