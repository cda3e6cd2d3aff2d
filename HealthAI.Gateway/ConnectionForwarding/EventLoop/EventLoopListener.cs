using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace HealthAI.Gateway.ConnectionForwarding.EventLoop;

/// <summary>
/// Kestrel's listener for a plain-HTTP endpoint served by event loops: the loops accept every connection and serve what the
/// forwarder serves, and this listener's <see cref="AcceptAsync"/> gives Kestrel the connections they hand over, as
/// connections of Kestrel's own socket transport with the bytes already read replayed first.
/// </summary>
internal sealed class EventLoopListener : IConnectionListener
{
    // How long disposing waits at most for the loops' connections to finish their current request after unbinding; Kestrel's
    // own stop token (its graceful shutdown timeout) can cut it shorter.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<ConnectionContext> _handedOver = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SocketConnectionContextFactory _contexts;
    private readonly EventLoop[] _loops;
    private int _unbound;
    private CancellationToken _stopping;

    public EventLoopListener(EndPoint endPoint, ConnectionForwarder forwarder, SocketConnectionContextFactory contexts, int loopCount)
    {
        _contexts = contexts;
        Socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint is IPEndPoint { Address: var address } && address.Equals(IPAddress.IPv6Any))
            {
                Socket.DualMode = true;
            }

            Socket.Bind(endPoint);
            Socket.Listen(512);
            Socket.Blocking = false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            Socket.Dispose();
            throw new AddressInUseException(ex.Message, ex);
        }
        catch
        {
            Socket.Dispose();
            throw;
        }

        EndPoint = Socket.LocalEndPoint!;
        _loops = new EventLoop[loopCount];
        for (var i = 0; i < loopCount; i++)
        {
            _loops[i] = new EventLoop(this, forwarder, i);
        }

        foreach (var loop in _loops)
        {
            loop.Start();
        }
    }

    public EndPoint EndPoint { get; }

    /// <summary>The listening socket, shared by the loops.</summary>
    internal Socket Socket { get; }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _handedOver.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // Unbound: Kestrel's accept loop for this endpoint ends.
            return null;
        }
    }

    /// <summary>
    /// From a loop: Kestrel takes the connection from here on, and reads <paramref name="received"/> before the socket. After
    /// unbinding, nothing accepts it any more and it is closed.
    /// </summary>
    internal void HandOver(Socket socket, ReadOnlyMemory<byte> received)
    {
        ConnectionContext connection;
        try
        {
            connection = _contexts.Create(socket);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Reset by the client in the meantime (its address can no longer be read): nothing to hand over.
            socket.Dispose();
            return;
        }

        connection.Features.Set(HandedOverByEventLoop.Instance);
        if (!received.IsEmpty)
        {
            connection.Transport = new ReplayedTransport(received, connection.Transport);
        }

        if (!_handedOver.Writer.TryWrite(connection))
        {
            connection.Abort();
            _ = connection.DisposeAsync().AsTask();
        }
    }

    /// <summary>Stops accepting: the loops close idle connections and finish the others' current request.</summary>
    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _unbound, 1) == 0)
        {
            _stopping = cancellationToken;
            foreach (var loop in _loops)
            {
                loop.Drain();
            }

            _handedOver.Writer.TryComplete();
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await UnbindAsync();
        try
        {
            await Task.WhenAll(_loops.Select(loop => loop.Drained)).WaitAsync(DrainTimeout, _stopping);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Requests still in flight now are cut off with their connections (each logged and audited as the loop stops).
        }

        foreach (var loop in _loops)
        {
            loop.Dispose();
        }

        Socket.Dispose();
        _contexts.Dispose();
    }
}

/// <summary>Marks a connection an event loop handed to Kestrel: the connection-level forwarder's middleware lets it pass.</summary>
internal sealed class HandedOverByEventLoop
{
    public static readonly HandedOverByEventLoop Instance = new();
}
