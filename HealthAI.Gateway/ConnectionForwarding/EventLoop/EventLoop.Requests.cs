using System.Buffers;
using System.Net.Sockets;
using static HealthAI.Gateway.ConnectionForwarding.ConnectionForwarder;

namespace HealthAI.Gateway.ConnectionForwarding.EventLoop;

/// <summary>The client side on the loop: read a request, prepare it, wait off the loop where it must, and finish it.</summary>
internal sealed partial class EventLoop
{
    // A client is always watched for its close; for its bytes while it may send a request; for room while an answer waits.
    private const uint Reading = Epoll.In | Epoll.PeerClosed;
    private const uint NotReading = Epoll.PeerClosed;
    private const uint Writing = Epoll.Out | Epoll.PeerClosed;

    private void OnClientReady(LoopClient client, uint events)
    {
        if ((events & (Epoll.PeerClosed | Epoll.HangUp | Epoll.Error)) != 0 && client.State is not (LoopClientState.Idle or LoopClientState.Receiving))
        {
            // Closed or reset by the client while its request is in hand: it ends as on Kestrel's transport, where a FIN fires
            // the connection's ConnectionClosed (a 499, the destination's request cancelled by closing its connection).
            OnClientGone(client);
            return;
        }

        if ((events & Epoll.Out) != 0 && client.Output.Length > 0)
        {
            // A slow reader that is still reading keeps the exchange alive.
            client.Deadline = DeadlineAfter(_now, client.Request.Route!.Cluster.ActivityTimeout);
            FlushClient(client);
            if (client.Closed)
            {
                return;
            }
        }

        if ((events & (Epoll.In | Epoll.PeerClosed | Epoll.HangUp | Epoll.Error)) == 0)
        {
            return;
        }

        if (client.State is not (LoopClientState.Idle or LoopClientState.Receiving))
        {
            // Bytes (a pipelined request) during an exchange: not read until the exchange ends. The interest stays on between
            // requests, which saves two epoll_ctl calls a request, and is dropped only when this happens.
            SetInterest(client, NotReading);
            return;
        }

        if (client.EnsureInputRoom())
        {
            var read = client.Socket.Receive(client.Input.AsSpan(client.InputLength), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success || read == 0)
            {
                // The client left, or closed its side between requests (or in the middle of one, which is never answered).
                CloseClient(client);
                return;
            }

            client.InputLength += read;
        }

        Serve(client);
    }

    private void EnterIdle(LoopClient client)
    {
        client.State = LoopClientState.Idle;
        client.IdleSince = _now;
        client.Deadline = DeadlineAfter(_now, _forwarder.Limits.KeepAliveTimeout);
        SetInterest(client, Reading);
    }

    /// <summary>Prepares the request at the front of the client's input, and sends it, waits for more of it, or hands it over.</summary>
    private void Serve(LoopClient client)
    {
        if (client.InputLength == 0)
        {
            EnterIdle(client);
            return;
        }

        var now = _now;
        if (client.State == LoopClientState.Idle)
        {
            client.State = LoopClientState.Receiving;
            client.Deadline = DeadlineAfter(now, _forwarder.Limits.RequestHeadersTimeout);
            client.BodySince = 0;
        }

        var buffer = new ReadOnlySequence<byte>(client.Input, 0, client.InputLength);
        var readiness = _forwarder.Prepare(client, buffer, client.Admitted, out var request);
        switch (readiness)
        {
            case Readiness.Ready:
                // The span (if one is recorded) is this request's, not the loop thread's: the next request must not nest in it.
                ClearActivity();
                client.Consume(request.Consumed.GetInteger());
                client.Admitted = null;
                client.ResetBodyScan();
                StartExchange(client, request);
                return;
            case Readiness.NeedMoreData:
                if (client.InputLength >= client.MaxInputBytes)
                {
                    // Full at Kestrel's request buffer limit and still incomplete (a head longer than that limit): nothing
                    // more can be read here, so Kestrel takes it and answers with its own limits.
                    HandOver(client, "limits");
                    return;
                }

                if (request.HeadLength > 0)
                {
                    client.BodySince = client.BodySince == 0 ? now : client.BodySince;
                    client.Deadline = DeadlineAfter(now, _forwarder.BodyTimeLeft(client.InputLength - request.HeadLength, client.BodySince));
                }

                SetInterest(client, Reading);
                return;
            case Readiness.NeedAdmission:
                WaitOffLoop(client, _forwarder.Admissions.AdmitAsync(request.Authorization!, _forwarder.RouteCount), "unauthenticated");
                return;
            case Readiness.NeedAuthorization:
                var admission = request.Admission!;
                WaitOffLoop(client, AuthorizedAsync(admission, request.Route!), "forbidden");
                return;
            default:
                HandOver(client, request.HandOverReason!);
                return;
        }
    }

    private async ValueTask<CallerAdmission?> AuthorizedAsync(CallerAdmission admission, ConnectionRoute route) =>
        await _forwarder.Admissions.AuthorizeAsync(admission, route) ? admission : null;

    /// <summary>
    /// A token or policy check that may wait: the connection is not read meanwhile, and the request is prepared again with the
    /// caller admitted, or handed to the pipeline (which answers 401 or 403) when it was not.
    /// </summary>
    private void WaitOffLoop(LoopClient client, ValueTask<CallerAdmission?> check, string refusal)
    {
        if (check.IsCompletedSuccessfully)
        {
            OnChecked(client, check.Result, refusal);
            return;
        }

        client.State = LoopClientState.Admitting;
        _ = check.AsTask().ContinueWith(
            (done, state) =>
            {
                var admitted = done.IsCompletedSuccessfully ? done.Result : null;
                ((EventLoop)state!).Post(() => OnChecked(client, admitted, refusal));
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void OnChecked(LoopClient client, CallerAdmission? admitted, string refusal)
    {
        if (client.Closed)
        {
            return;
        }

        if (admitted is null)
        {
            HandOver(client, refusal);
            return;
        }

        client.State = LoopClientState.Receiving;
        client.Admitted = admitted;
        Serve(client);
    }

    /// <summary>The answer is out (or the exchange failed): span, metric and audit record, then the next request.</summary>
    private void FinishRequest(LoopClient client)
    {
        var request = client.Request;
        client.Request = default;
        var recorded = _forwarder.CompleteAsync(request, client.Status);
        ClearActivity();
        if (recorded.IsCompleted)
        {
            recorded.GetAwaiter().GetResult();
            AfterRequest(client);
            return;
        }

        // The audit queue is full: this connection waits for room, as the Kestrel-hosted forwarder does; the loop does not.
        client.State = LoopClientState.Auditing;
        _ = recorded.AsTask().ContinueWith(
            (_, state) => ((EventLoop)state!).Post(() => AfterRequest(client)),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void AfterRequest(LoopClient client)
    {
        if (client.Closed)
        {
            return;
        }

        if (client.CloseAfter || _draining)
        {
            CloseClient(client);
            return;
        }

        client.State = LoopClientState.Idle;
        Serve(client);
    }

    /// <summary>Sends what waits for the client; when all of it has gone, the exchange goes on (or ends).</summary>
    private void FlushClient(LoopClient client)
    {
        var output = client.Output;
        while (output.Length > 0)
        {
            var sent = client.Socket.Send(output.Pending, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            if (error != SocketError.Success)
            {
                OnClientGone(client);
                return;
            }

            output.Sent(sent);
        }

        if (output.Length > 0)
        {
            // The client reads slower than the destination answers: stop reading the destination until the client catches up.
            client.OutputBlocked = true;
            SetInterest(client, Writing);
            if (client.Destination is { Connecting: false } blocked)
            {
                SetInterest(blocked, 0);
            }

            return;
        }

        if (client.OutputBlocked)
        {
            client.OutputBlocked = false;
            SetInterest(client, Reading);
        }

        if (client.State != LoopClientState.Exchanging)
        {
            return;
        }

        if (client.AnswerComplete)
        {
            FinishRequest(client);
        }
        else if (client.Destination is { Connecting: false } destination)
        {
            SetInterest(destination, destination.SendOffset < client.Request.SendLength ? Epoll.In | Epoll.Out : Epoll.In);
            if (destination.Received > destination.DataStart)
            {
                RelayAnswer(client, destination);
            }
        }
    }

    /// <summary>The client went away during an exchange: nobody to answer, so the exchange ends as the pipeline's does (499).</summary>
    private void OnClientGone(LoopClient client)
    {
        if (client.State == LoopClientState.Exchanging)
        {
            var error = client.ResponseStarted ? Forwarding.ForwarderError.ResponseBodyCanceled : Forwarding.ForwarderError.RequestCanceled;
            _forwarder.ReportFailure(client.Request.Route!, error, new SocketException((int)SocketError.ConnectionReset), client.Request.RequestId!);
            client.Status = client.ResponseStarted ? client.Status : 499;
            client.CloseAfter = true;
            ReleaseDestination(client, reusable: false);
            var request = client.Request;
            CloseClient(client);
            CompleteClosed(request, client.Status);
            return;
        }

        // Between requests, or waiting off the loop (whose result then finds the connection closed).
        CloseClient(client);
    }

    // The audit record of a request whose connection is already closed: nothing waits for it on the loop.
    private void CompleteClosed(in PreparedRequest request, int status)
    {
        var recorded = _forwarder.CompleteAsync(request, status);
        ClearActivity();
        if (recorded.IsCompleted)
        {
            recorded.GetAwaiter().GetResult();
        }
        else
        {
            _ = recorded.AsTask();
        }
    }

    // A timestamp <paramref name="span"/> after <paramref name="now"/>; never, for an infinite or absurdly long span.
    private long DeadlineAfter(long now, TimeSpan span) =>
        span < TimeSpan.Zero || span > TimeSpan.FromDays(365) ? long.MaxValue : now + (long)(span.TotalSeconds * _time.TimestampFrequency);
}
