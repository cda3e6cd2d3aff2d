using System.Net;
using System.Net.Sockets;
using HealthAI.Gateway.Forwarding;

namespace HealthAI.Gateway.ConnectionForwarding.EventLoop;

/// <summary>
/// The loop's destination connections: an idle one from the loop's own pool (polled for stray bytes first), or a new one
/// opened with a non-blocking connect (a host name looked up off the loop first), and back to the pool after a clean exchange.
/// </summary>
internal sealed partial class EventLoop
{
    private LoopDestination? TryRentIdle(DestinationConnectionPool pool, long now)
    {
        if (!_idle.TryGetValue(pool, out var idle))
        {
            return null;
        }

        while (idle.TryPop(out var destination))
        {
            if (!destination.Closed && pool.IsFresh(destination.IdleSince, now) && DestinationConnectionPool.IsQuiet(destination.Socket))
            {
                return destination;
            }

            CloseDestination(destination);
        }

        return null;
    }

    private static void Attach(LoopClient client, LoopDestination destination)
    {
        client.Destination = destination;
        destination.Client = client;
        destination.SendOffset = 0;
        destination.Received = 0;
        destination.DataStart = 0;
        destination.AnswerArrived = false;
    }

    // A new connection: a non-blocking connect on the loop; a host name is looked up off the loop first.
    private void Connect(LoopClient client, DestinationConnectionPool pool)
    {
        // The connect timeout covers the name lookup too, as a connect to a DNS end point does.
        client.ConnectDeadline = DeadlineAfter(_now, _forwarder.Options.ConnectTimeout);
        switch (pool.EndPoint)
        {
            case IPEndPoint address:
                ConnectTo(client, pool, [address.Address], 0, address.Port);
                break;
            case DnsEndPoint name:
                var exchange = client.Exchange;
                _ = Dns.GetHostAddressesAsync(name.Host).ContinueWith(
                    (lookup, state) =>
                    {
                        var addresses = lookup.IsCompletedSuccessfully ? lookup.Result : [];
                        ((EventLoop)state!).Post(() => OnResolved(client, exchange, pool, addresses, name.Port));
                    },
                    this,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                break;
            default:
                Fail(client, ForwarderError.Request, new SocketException((int)SocketError.AddressNotAvailable));
                break;
        }
    }

    private void OnResolved(LoopClient client, int exchange, DestinationConnectionPool pool, IPAddress[] addresses, int port)
    {
        // Late: the exchange it was for has ended (timed out, failed) and the connection may be in another one by now.
        if (client.Closed || client.State != LoopClientState.Exchanging || client.Exchange != exchange || client.Destination is not null || client.ResponseStarted)
        {
            return;
        }

        if (addresses.Length == 0)
        {
            Fail(client, ForwarderError.Request, new SocketException((int)SocketError.HostNotFound));
            return;
        }

        ConnectTo(client, pool, addresses, 0, port);
    }

    private void ConnectTo(LoopClient client, DestinationConnectionPool pool, IPAddress[] addresses, int index, int port)
    {
        var address = new IPEndPoint(addresses[index], port);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false, NoDelay = true };
        var connected = false;
        try
        {
            socket.Connect(address);
            connected = true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            if (index + 1 < addresses.Length)
            {
                ConnectTo(client, pool, addresses, index + 1, port);
            }
            else
            {
                Fail(client, ForwarderError.Request, ex);
            }

            return;
        }

        var destination = new LoopDestination(socket, pool)
        {
            Connecting = !connected,
            Addresses = addresses,
            AddressIndex = index,
            Port = port,
        };
        Register(destination, connected ? Epoll.In : Epoll.Out);
        Attach(client, destination);
        if (connected)
        {
            client.ConnectDeadline = 0;
            SendRequest(client, destination);
        }
    }

    private void OnConnectFailed(LoopClient client, LoopDestination destination, SocketError error)
    {
        client.Destination = null;
        destination.Client = null;
        CloseDestination(destination);
        if (error != SocketError.TimedOut && destination.AddressIndex + 1 < destination.Addresses.Length)
        {
            // The next address of the name (localhost: ::1, then 127.0.0.1), as a connect to a DNS end point tries them.
            ConnectTo(client, destination.Pool, destination.Addresses, destination.AddressIndex + 1, destination.Port);
            return;
        }

        // The Kestrel-hosted forwarder's connect failures and its connect timeout are both an unreachable destination (502).
        Fail(client, ForwarderError.Request, new SocketException((int)error));
    }

    private void ReleaseDestination(LoopClient client, bool reusable)
    {
        if (client.Destination is not { } destination)
        {
            return;
        }

        client.Destination = null;
        destination.Client = null;
        if (!reusable || destination.Closed)
        {
            CloseDestination(destination);
            return;
        }

        if (!_idle.TryGetValue(destination.Pool, out var idle))
        {
            _idle[destination.Pool] = idle = new Stack<LoopDestination>();
        }

        if (idle.Count >= _forwarder.Options.MaxIdleConnectionsPerCluster && PruneClosed(idle) >= _forwarder.Options.MaxIdleConnectionsPerCluster)
        {
            CloseDestination(destination);
            return;
        }

        destination.Reused = true;
        destination.IdleSince = _now;
        // Watched while idle: a close (or stray bytes) takes it out of the pool before anyone rents it.
        SetInterest(destination, Epoll.In);
        idle.Push(destination);
    }

    // Connections closed while idle (timed out, or closed by the destination) stay in their stack until taken out here.
    private static int PruneClosed(Stack<LoopDestination> idle)
    {
        if (idle.Any(destination => destination.Closed))
        {
            var open = idle.Where(destination => !destination.Closed).Reverse().ToArray();
            idle.Clear();
            foreach (var destination in open)
            {
                idle.Push(destination);
            }
        }

        return idle.Count;
    }
}
