using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using HealthAI.Gateway.Audit;
using HealthAI.Gateway.Forwarding;
using HealthAI.Gateway.Logging;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>The exchange with the destination: send, relay the answer, map failures as the pipeline's forwarder does, audit.</summary>
internal sealed partial class ConnectionForwarder
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ConnectionStep> ExchangeAsync(ClientConnection client, PreparedRequest request)
    {
        var route = request.Route!;
        var pool = request.Pool!;
        var timeout = client.Timeout;
        var activityTimeout = route.Cluster.ActivityTimeout;
        var closeClient = request.ConnectionClose || client.CloseRequested.IsCancellationRequested;
        var status = 0;
        var responseStarted = false;
        var error = ForwarderError.None;
        Exception? failure = null;
        DestinationConnection? destination = null;
        var reusable = false;
        timeout.CancelAfter(activityTimeout);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                // A retry never takes another idle connection: it could be just as stale.
                destination = attempt == 0 ? await pool.RentAsync(timeout.Token) : await pool.ConnectAsync(timeout.Token);
                var received = 0;
                try
                {
                    await destination.Socket.SendAsync(client.SendBuffer.AsMemory(0, request.SendLength), SocketFlags.None, timeout.Token);
                    var answer = destination.Socket.ReceiveAsync(destination.ReceiveBuffer, SocketFlags.None, timeout.Token);
                    var waited = !answer.IsCompleted;
                    received = await answer;
                    if (waited)
                    {
                        // Resumed by the destination socket's event thread: what the pool's affinity goes by.
                        destination.CompletionThread = Environment.CurrentManagedThreadId;
                    }
                }
                catch (SocketException) when (destination.Reused && attempt == 0)
                {
                }

                if (received == 0 && destination.Reused && attempt == 0)
                {
                    // The destination closed this idle connection before our request reached it (the keep-alive race):
                    // nothing was processed, so the request goes again on a new connection, as HttpClient does.
                    destination.Dispose();
                    destination = null;
                    continue;
                }

                var head = await ReceiveHeadAsync(destination, received, request.Method == Http1Method.Head, activityTimeout, timeout);
                closeClient |= head.Framing == Http1BodyFraming.UntilClose;
                var output = client.Output;
                var written = Http1ResponseWriter.WriteHead(destination.ReceiveBuffer.AsSpan(0, head.HeadLength), head, closeClient, output.GetSpan(head.HeadLength + Http1ResponseWriter.MaxGrowth));
                if (written < 0)
                {
                    throw BrokenFraming();
                }

                output.Advance(written);
                responseStarted = true;
                status = head.StatusCode;
                reusable = await RelayBodyAsync(client, destination, head, activityTimeout) && !head.ConnectionClose;
                if ((await output.FlushAsync(timeout.Token)).IsCompleted)
                {
                    throw new OperationCanceledException();
                }

                break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            failure = ex;
            var clientGone = client.Context.ConnectionClosed.IsCancellationRequested || ex is OperationCanceledException && !timeout.IsCancellationRequested;
            error = (clientGone, responseStarted, ex) switch
            {
                (true, true, _) => ForwarderError.ResponseBodyCanceled,
                (true, false, _) => ForwarderError.RequestCanceled,
                (false, true, _) => ForwarderError.ResponseBodyDestination,
                (false, false, OperationCanceledException) => ForwarderError.RequestTimedOut,
                _ => ForwarderError.Request,
            };
        }
        finally
        {
            if (destination is not null)
            {
                if (reusable)
                {
                    pool.Return(destination);
                }
                else
                {
                    destination.Dispose();
                }
            }
        }

        var step = closeClient ? ConnectionStep.Close : ConnectionStep.Continue;
        if (error != ForwarderError.None)
        {
            ReportFailure(route, error, failure, request.RequestId!);
            if (responseStarted || error == ForwarderError.RequestCanceled)
            {
                // Too late for a status, or nobody to send one to: end the connection, as the pipeline aborts it.
                client.Context.Abort();
                status = responseStarted ? status : 499;
                step = ConnectionStep.Close;
            }
            else
            {
                status = HttpForwarder.StatusCodeOf(error);
                step = await WriteProblemAsync(client, status, error, request.RequestId!, closeClient) ? step : ConnectionStep.Close;
            }
        }

        await CompleteAsync(request, status);
        return step;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Http1ResponseHead> ReceiveHeadAsync(DestinationConnection destination, int received, bool requestWasHead, TimeSpan activityTimeout, CancellationTokenSource timeout)
    {
        var buffer = destination.ReceiveBuffer;
        while (true)
        {
            if (received == 0)
            {
                throw BrokenFraming();
            }

            timeout.CancelAfter(activityTimeout);
            var status = Http1ResponseParser.TryParse(buffer.AsSpan(0, received), requestWasHead, buffer.Length, out var head);
            if (status == Http1HeadStatus.Parsed && head.StatusCode < 200)
            {
                // An interim answer (103 Early Hints): dropped, as HttpClient drops it for the pipeline; the final one follows.
                received -= head.HeadLength;
                buffer.AsSpan(head.HeadLength, received).CopyTo(buffer);
                if (received > 0)
                {
                    continue;
                }

                status = Http1HeadStatus.Incomplete;
            }

            switch (status)
            {
                case Http1HeadStatus.Parsed:
                    destination.Received = received;
                    return head;
                case Http1HeadStatus.Unsupported:
                    throw BrokenFraming();
            }

            if (received == buffer.Length)
            {
                throw BrokenFraming();
            }

            var read = await destination.Socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, timeout.Token);
            received = read == 0 ? throw BrokenFraming() : received + read;
        }
    }

    /// <summary>Copies the body as framed by the destination; true when the destination connection can carry another request.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> RelayBodyAsync(ClientConnection client, DestinationConnection destination, Http1ResponseHead head, TimeSpan activityTimeout)
    {
        var output = client.Output;
        var timeout = client.Timeout;
        var buffer = destination.ReceiveBuffer;
        var data = buffer.AsMemory(head.HeadLength, destination.Received - head.HeadLength);
        switch (head.Framing)
        {
            case Http1BodyFraming.None:
                return data.IsEmpty;
            case Http1BodyFraming.ContentLength:
                var remaining = head.ContentLength;
                while (true)
                {
                    var take = (int)Math.Min(data.Length, remaining);
                    output.Write(data.Span[..take]);
                    remaining -= take;
                    if (remaining == 0)
                    {
                        // Bytes past the declared length mean the destination's framing cannot be trusted for another request.
                        return take == data.Length;
                    }

                    data = await ReceiveMoreAsync(client, destination, activityTimeout);
                }

            case Http1BodyFraming.Chunked:
                var scanner = default(ChunkedBodyScanner);
                while (true)
                {
                    var scanned = scanner.Scan(data.Span, out var consumed);
                    output.Write(data.Span[..consumed]);
                    switch (scanned)
                    {
                        case OperationStatus.Done:
                            return consumed == data.Length;
                        case OperationStatus.InvalidData:
                            throw BrokenFraming();
                    }

                    data = await ReceiveMoreAsync(client, destination, activityTimeout);
                }

            default:
                // Until the destination closes: the client's connection closes after it too.
                output.Write(data.Span);
                while (true)
                {
                    if ((await output.FlushAsync(timeout.Token)).IsCompleted)
                    {
                        throw new OperationCanceledException();
                    }

                    var read = await destination.Socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                    if (read == 0)
                    {
                        return false;
                    }

                    timeout.CancelAfter(activityTimeout);
                    output.Write(buffer.AsSpan(0, read));
                }
        }
    }

    // Streams what has been relayed so far to the client, then waits for the destination's next bytes.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Memory<byte>> ReceiveMoreAsync(ClientConnection client, DestinationConnection destination, TimeSpan activityTimeout)
    {
        var timeout = client.Timeout;
        if ((await client.Output.FlushAsync(timeout.Token)).IsCompleted)
        {
            throw new OperationCanceledException();
        }

        var read = await destination.Socket.ReceiveAsync(destination.ReceiveBuffer, SocketFlags.None, timeout.Token);
        if (read == 0)
        {
            throw BrokenFraming();
        }

        timeout.CancelAfter(activityTimeout);
        return destination.ReceiveBuffer.AsMemory(0, read);
    }

    /// <summary>The pipeline forwarder's ProblemDetails for a failure before the answer started; false when the client is gone.</summary>
    private async ValueTask<bool> WriteProblemAsync(ClientConnection client, int status, ForwarderError error, string requestId, bool close)
    {
        var output = client.Output;
        WriteProblem(output, status, error, requestId, close, _timeProvider.GetUtcNow());
        try
        {
            return !(await output.FlushAsync(client.Timeout.Token)).IsCompleted;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Writes the pipeline forwarder's ProblemDetails answer (head and body) for a failure before the answer started.</summary>
    internal static void WriteProblem(IBufferWriter<byte> output, int status, ForwarderError error, string requestId, bool close, DateTimeOffset now)
    {
        var (reason, section, title) = status switch
        {
            504 => ("Gateway Timeout", "15.6.5", "The upstream service timed out."),
            503 => ("Service Unavailable", "15.6.4", "The upstream service is unavailable."),
            _ => ("Bad Gateway", "15.6.3", "The upstream service could not be reached."),
        };
        var body = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("type", "https://tools.ietf.org/html/rfc9110#section-" + section);
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            json.WriteString("forwarderError", error.ToString());
            json.WriteString(Microsoft.Extensions.Hosting.ProblemDetailsExtensions.RequestIdKey, requestId);
            json.WriteEndObject();
        }

        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/problem+json\r\nContent-Length: {body.WrittenCount}\r\nDate: {now:r}\r\n{(close ? "Connection: close\r\n" : "")}\r\n";
        output.Write(Encoding.ASCII.GetBytes(head));
        output.Write(body.WrittenSpan);
    }

    /// <summary>Logs a failed exchange (names and the error only, never the request).</summary>
    internal void ReportFailure(ConnectionRoute route, ForwarderError error, Exception? failure, string requestId) =>
        Log.ForwardingFailed(_logger, route.RouteId, route.Cluster.Id, error.ToString(), failure?.GetType().Name ?? "none", requestId);

    /// <summary>Ends a forwarded request: its span, its metric and its audit record (which waits only while the audit queue is full).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask CompleteAsync(PreparedRequest request, int status)
    {
        var route = request.Route!;
        var elapsed = _timeProvider.GetElapsedTime(request.Started);
        if (request.Activity is { } activity)
        {
            activity.SetTag("http.response.status_code", status);
            activity.Dispose();
        }

        _telemetry.RecordForwarded(route.RouteId, status, elapsed);
        await _audit.AppendAsync(new AuditRecord
        {
            Time = request.Time,
            RequestId = request.RequestId!,
            Subject = request.Admission?.ClientId,
            Method = ForwardedRouteTable.MethodName(request.Method),
            Route = route.RouteId,
            Scopes = request.Admission is null ? [] : route.Scopes,
            Outcome = AuditMiddleware.Outcome(status),
            Status = status,
            LatencyMs = Math.Round(elapsed.TotalMilliseconds, 3),
        });
    }

    // The destination broke HTTP/1.1 framing or closed early: answered like any failed exchange (502, or an aborted connection).
    internal static IOException BrokenFraming() => new("The destination broke HTTP/1.1 framing.");
}
