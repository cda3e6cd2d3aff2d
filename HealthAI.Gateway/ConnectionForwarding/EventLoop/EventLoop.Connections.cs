using System.Net;
using System.Net.Sockets;

namespace HealthAI.Gateway.ConnectionForwarding.EventLoop;

/// <summary>The loop's connections: accepting, registering with epoll, timers, closing, and handing over to Kestrel.</summary>
internal sealed partial class EventLoop
{
    // Level-triggered and shared with the other loops (each woken exclusively): one accept per wake-up, and the listener is
    // reported again while connections are queued. Another loop may have taken the connection first.
    private void Accept()
    {
        if (!_accepting)
        {
            return;
        }

        Socket socket;
        try
        {
            socket = _owner.Socket.Accept();
        }
        catch (SocketException ex) when (ex.SocketErrorCode is not (SocketError.WouldBlock or SocketError.ConnectionAborted or SocketError.ConnectionReset))
        {
            // Out of descriptors or memory: the listener stays readable, so accepting again at once would spin. This loop
            // stops accepting for a while, as nginx does.
            Logging.Log.AcceptFailed(_forwarder.Logger, ex.SocketErrorCode.ToString());
            StopAccepting();
            _acceptAgainAt = DeadlineAfter(_now, AcceptPause);
            return;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Taken by another loop first, or given up by the client meanwhile.
            return;
        }

        IPAddress address;
        try
        {
            if (_draining || socket.RemoteEndPoint is not IPEndPoint { Address: var remote })
            {
                socket.Dispose();
                return;
            }

            address = remote;
            socket.Blocking = false;
            socket.NoDelay = true;
        }
        catch (SocketException)
        {
            // Reset by the client between its connect and our accept.
            socket.Dispose();
            return;
        }

        if (_forwarder.IsKnownProxy(address))
        {
            // Forwarded headers from a configured proxy are the pipeline's to honour.
            _forwarder.Telemetry.RecordHandover("proxy");
            _owner.HandOver(socket, default);
            return;
        }

        var client = new LoopClient(socket, address, _forwarder.MaxRequestBytes);
        _clients++;
        Register(client, Epoll.In | Epoll.PeerClosed);
        EnterIdle(client);
    }

    private void StopAccepting()
    {
        if (_accepting)
        {
            _accepting = false;
            Epoll.Remove(_epoll, (int)_owner.Socket.Handle);
        }
    }

    private void ResumeAccepting()
    {
        _acceptAgainAt = 0;
        if (!_accepting && !_draining)
        {
            try
            {
                Epoll.Add(_epoll, (int)_owner.Socket.Handle, Epoll.In | Epoll.Exclusive, ListenerSlot);
                _accepting = true;
            }
            catch (SocketException)
            {
                // Still short of resources: tried again after another pause.
                _acceptAgainAt = DeadlineAfter(_now, AcceptPause);
            }
        }
    }

    private void CheckDrained()
    {
        if (_draining && _clients == 0)
        {
            _drained.TrySetResult();
        }
    }

    private void CheckTimers(long now)
    {
        if (_acceptAgainAt != 0 && now >= _acceptAgainAt)
        {
            ResumeAccepting();
        }

        for (var slot = WakeUpSlot + 1; slot < _slots.Count; slot++)
        {
            var connection = _slots[slot];
            try
            {
                switch (connection)
                {
                    case LoopClient client when now >= client.Deadline || client.ConnectDeadline != 0 && now >= client.ConnectDeadline:
                        OnTimedOut(client, now);
                        break;
                    case LoopClient { State: LoopClientState.Idle } idle when _time.GetElapsedTime(idle.IdleSince, now) >= IdleBufferRelease:
                        idle.ReleaseBuffers();
                        break;
                    case LoopDestination { Client: null } idle when !idle.Pool.IsFresh(idle.IdleSince, now):
                        CloseDestination(idle);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                OnFault(connection, ex);
            }
        }
    }

    private void OnTimedOut(LoopClient client, long now)
    {
        switch (client.State)
        {
            case LoopClientState.Idle or LoopClientState.Receiving:
                // Keep-alive, request headers or request body timeout: closed, as the Kestrel-hosted forwarder closes it.
                CloseClient(client);
                break;
            case LoopClientState.Exchanging when client.ConnectDeadline != 0 && now >= client.ConnectDeadline:
                if (client.Destination is { } connecting)
                {
                    OnConnectFailed(client, connecting, SocketError.TimedOut);
                }
                else
                {
                    // Still looking the name up.
                    Fail(client, Forwarding.ForwarderError.Request, new SocketException((int)SocketError.TimedOut));
                }

                break;
            case LoopClientState.Exchanging when now >= client.Deadline:
                Fail(client, client.ResponseStarted ? Forwarding.ForwarderError.ResponseBodyDestination : Forwarding.ForwarderError.RequestTimedOut, new TimeoutException());
                break;
        }
    }

    private void Register(ILoopConnection connection, uint interest)
    {
        var slot = _freeSlots.TryPop(out var free) ? free : _slots.Count;
        if (slot == _slots.Count)
        {
            _slots.Add(connection);
            _generations.Add(0);
        }
        else
        {
            _slots[slot] = connection;
        }

        connection.Slot = slot;
        connection.Interest = interest;
        Epoll.Add(_epoll, (int)connection.Socket.Handle, interest, Data(slot));
    }

    // The slot in the low half, its generation in the high half: an event for a slot's earlier connection is told apart.
    private ulong Data(int slot) => ((ulong)_generations[slot] << 32) | (uint)slot;

    private void SetInterest(ILoopConnection connection, uint interest)
    {
        if (connection.Interest != interest && !connection.Closed)
        {
            Epoll.Modify(_epoll, (int)connection.Socket.Handle, interest, Data(connection.Slot));
            connection.Interest = interest;
        }
    }

    private void Unregister(ILoopConnection connection)
    {
        var slot = connection.Slot;
        Epoll.Remove(_epoll, (int)connection.Socket.Handle);
        _slots[slot] = null;
        _generations[slot]++;
        _freeSlots.Push(slot);
        connection.Closed = true;
    }

    private void CloseClient(LoopClient client)
    {
        if (client.Closed)
        {
            return;
        }

        if (client.Destination is { } destination)
        {
            client.Destination = null;
            destination.Client = null;
            CloseDestination(destination);
        }

        Unregister(client);
        client.Socket.Dispose();
        client.Dispose();
        _clients--;
        CheckDrained();
    }

    private void CloseDestination(LoopDestination destination)
    {
        if (!destination.Closed)
        {
            Unregister(destination);
            destination.Socket.Dispose();
        }
    }

    /// <summary>Gives the connection to Kestrel's HTTP stack with what it sent so far; the loop forgets it.</summary>
    private void HandOver(LoopClient client, string reason)
    {
        _forwarder.Telemetry.RecordHandover(reason);
        var received = client.Input.AsMemory(0, client.InputLength).ToArray();
        Unregister(client);
        client.Dispose();
        _clients--;
        _owner.HandOver(client.Socket, received);
        CheckDrained();
    }
}
