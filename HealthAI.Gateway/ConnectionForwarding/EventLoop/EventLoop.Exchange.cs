using System.Buffers;
using System.Net.Sockets;
using HealthAI.Gateway.Forwarding;

namespace HealthAI.Gateway.ConnectionForwarding.EventLoop;

/// <summary>
/// The destination side on the loop: rent or open a connection, send the request, relay the answer as it arrives, and map
/// failures exactly as the Kestrel-hosted forwarder does (502, 504, a retry on a stale kept-alive connection, an abort once the
/// answer has started).
/// </summary>
internal sealed partial class EventLoop
{
    private void StartExchange(LoopClient client, in ConnectionForwarder.PreparedRequest request)
    {
        client.StartExchange(request);
        client.State = LoopClientState.Exchanging;
        client.CloseAfter |= request.ConnectionClose || _draining;
        client.Deadline = DeadlineAfter(_now, request.Route!.Cluster.ActivityTimeout);
        if (TryRentIdle(request.Pool!, _now) is { } idle)
        {
            Attach(client, idle);
            SendRequest(client, idle);
        }
        else
        {
            Connect(client, request.Pool!);
        }
    }

    private void OnDestinationReady(LoopDestination destination, uint events)
    {
        if (destination.Client is not { } client)
        {
            // Idle in the pool and readable: closed by the destination, or bytes no request asked for. Either way not reusable.
            CloseDestination(destination);
            return;
        }

        if (destination.Connecting)
        {
            var error = (SocketError)(int)destination.Socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
            {
                OnConnectFailed(client, destination, error);
                return;
            }

            destination.Connecting = false;
            client.ConnectDeadline = 0;
            SendRequest(client, destination);
            return;
        }

        if ((events & (Epoll.HangUp | Epoll.Error)) != 0 && client.OutputBlocked)
        {
            // Reset while the loop waits for the client to catch up: the rest of the answer is gone.
            OnDestinationFailed(client, destination, new SocketException((int)SocketError.ConnectionReset));
            return;
        }

        if ((events & Epoll.Out) != 0 && destination.SendOffset < client.Request.SendLength)
        {
            SendRequest(client, destination);
            if (destination.Closed || client.Closed)
            {
                return;
            }
        }

        if ((events & (Epoll.In | Epoll.HangUp | Epoll.Error)) != 0)
        {
            ReceiveAnswer(client, destination);
        }
    }

    private void SendRequest(LoopClient client, LoopDestination destination)
    {
        var pending = client.SendBuffer.AsSpan(destination.SendOffset, client.Request.SendLength - destination.SendOffset);
        var sent = destination.Socket.Send(pending, SocketFlags.None, out var error);
        if (error is not (SocketError.Success or SocketError.WouldBlock))
        {
            OnDestinationFailed(client, destination, new SocketException((int)error));
            return;
        }

        destination.SendOffset += error == SocketError.Success ? sent : 0;
        // The rest of a large request waits for room; an early answer (an error before the whole body) is read meanwhile.
        SetInterest(destination, destination.SendOffset < client.Request.SendLength ? Epoll.In | Epoll.Out : Epoll.In);
    }

    private void ReceiveAnswer(LoopClient client, LoopDestination destination)
    {
        if (client.OutputBlocked)
        {
            SetInterest(destination, 0);
            return;
        }

        var buffer = destination.ReceiveBuffer;
        if (destination.Received == buffer.Length)
        {
            // Only a head can fill the buffer (a body is relayed as it comes): one larger than the buffer is not relayed.
            OnDestinationFailed(client, destination, ConnectionForwarder.BrokenFraming());
            return;
        }

        var read = destination.Socket.Receive(buffer.AsSpan(destination.Received), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            return;
        }

        if (error != SocketError.Success || read == 0)
        {
            if (read == 0 && error == SocketError.Success && client.ResponseStarted && client.Answer.Framing == Http1BodyFraming.UntilClose)
            {
                // The answer ends with the connection; the client's connection closes after it too.
                client.AnswerComplete = true;
                ReleaseDestination(client, reusable: false);
                FlushClient(client);
                return;
            }

            OnDestinationFailed(client, destination, error == SocketError.Success ? ConnectionForwarder.BrokenFraming() : new SocketException((int)error));
            return;
        }

        destination.Received += read;
        destination.AnswerArrived = true;
        client.Deadline = DeadlineAfter(_now, client.Request.Route!.Cluster.ActivityTimeout);
        if (client.ResponseStarted)
        {
            RelayAnswer(client, destination);
        }
        else
        {
            StartAnswer(client, destination);
        }
    }

    private void StartAnswer(LoopClient client, LoopDestination destination)
    {
        var buffer = destination.ReceiveBuffer;
        Http1ResponseHead head;
        while (true)
        {
            var status = Http1ResponseParser.TryParse(buffer.AsSpan(0, destination.Received), client.Request.Method == Http1Method.Head, buffer.Length, out head);
            if (status == Http1HeadStatus.Parsed && head.StatusCode < 200)
            {
                // An interim answer (103 Early Hints): dropped, as HttpClient drops it for the pipeline; the final one follows.
                destination.Received -= head.HeadLength;
                buffer.AsSpan(head.HeadLength, destination.Received).CopyTo(buffer);
                continue;
            }

            switch (status)
            {
                case Http1HeadStatus.Incomplete:
                    return;
                case Http1HeadStatus.Unsupported:
                    OnDestinationFailed(client, destination, ConnectionForwarder.BrokenFraming());
                    return;
            }

            break;
        }

        client.CloseAfter |= head.Framing == Http1BodyFraming.UntilClose;
        var output = client.Output;
        var written = Http1ResponseWriter.WriteHead(buffer.AsSpan(0, head.HeadLength), head, client.CloseAfter, output.GetSpan(head.HeadLength + Http1ResponseWriter.MaxGrowth));
        if (written < 0)
        {
            OnDestinationFailed(client, destination, ConnectionForwarder.BrokenFraming());
            return;
        }

        output.Advance(written);
        client.ResponseStarted = true;
        client.Status = head.StatusCode;
        client.Answer = head;
        client.AnswerRemaining = head.ContentLength;
        destination.DataStart = head.HeadLength;
        RelayAnswer(client, destination);
    }

    /// <summary>Moves the answer's body bytes now in the destination's buffer to the client, as the destination framed them.</summary>
    private void RelayAnswer(LoopClient client, LoopDestination destination)
    {
        var data = destination.ReceiveBuffer.AsSpan(destination.DataStart, destination.Received - destination.DataStart);
        var output = client.Output;
        bool complete;
        bool exact;
        switch (client.Answer.Framing)
        {
            case Http1BodyFraming.None:
                complete = true;
                exact = data.IsEmpty;
                break;
            case Http1BodyFraming.ContentLength:
                var take = (int)Math.Min(data.Length, client.AnswerRemaining);
                output.Write(data[..take]);
                client.AnswerRemaining -= take;
                complete = client.AnswerRemaining == 0;
                exact = take == data.Length;
                break;
            case Http1BodyFraming.Chunked:
                var scanned = client.AnswerScanner.Scan(data, out var consumed);
                output.Write(data[..consumed]);
                if (scanned == OperationStatus.InvalidData)
                {
                    Fail(client, ForwarderError.ResponseBodyDestination, ConnectionForwarder.BrokenFraming());
                    return;
                }

                complete = scanned == OperationStatus.Done;
                exact = consumed == data.Length;
                break;
            default:
                output.Write(data);
                complete = false;
                exact = true;
                break;
        }

        destination.Received = destination.DataStart = 0;
        if (complete)
        {
            // Bytes past the declared end mean the destination's framing cannot be trusted for another request.
            // So do answers that came before the whole request went (an early refusal): the rest of the request would go to
            // whoever uses the connection next, as the start of their request.
            client.AnswerComplete = true;
            ReleaseDestination(client, exact && !client.Answer.ConnectionClose && destination.SendOffset == client.Request.SendLength);
        }

        FlushClient(client);
    }

    private void OnDestinationFailed(LoopClient client, LoopDestination destination, Exception failure)
    {
        if (destination.Reused && client.Attempt == 0 && !destination.AnswerArrived && !client.ResponseStarted)
        {
            // The destination closed this idle connection before our request reached it (the keep-alive race): nothing was
            // processed, so the request goes again on a new connection, never another idle one, as HttpClient does.
            client.Destination = null;
            destination.Client = null;
            CloseDestination(destination);
            client.Attempt = 1;
            Connect(client, destination.Pool);
            return;
        }

        Fail(client, client.ResponseStarted ? ForwarderError.ResponseBodyDestination : ForwarderError.Request, failure);
    }

    /// <summary>
    /// A failed exchange, answered as the pipeline's forwarder answers it: a ProblemDetails 502 or 504 before the answer started,
    /// an aborted connection after.
    /// </summary>
    private void Fail(LoopClient client, ForwarderError error, Exception failure)
    {
        var request = client.Request;
        _forwarder.ReportFailure(request.Route!, error, failure, request.RequestId!);
        client.ConnectDeadline = 0;
        ReleaseDestination(client, reusable: false);
        if (client.ResponseStarted)
        {
            // Too late for a status: end the connection, as the pipeline aborts it.
            CloseClient(client);
            CompleteClosed(request, client.Status);
            return;
        }

        client.Status = HttpForwarder.StatusCodeOf(error);
        ConnectionForwarder.WriteProblem(client.Output, client.Status, error, request.RequestId!, client.CloseAfter, _time.GetUtcNow());
        client.ResponseStarted = true;
        client.AnswerComplete = true;
        FlushClient(client);
    }
}
