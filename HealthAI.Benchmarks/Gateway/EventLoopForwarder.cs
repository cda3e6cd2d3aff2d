using System.Net;
using System.Net.Sockets;
using HealthAI.Gateway.ConnectionForwarding.EventLoop;

namespace HealthAI.Benchmarks.Gateway;

/// <summary>
/// The transport floor of the forwarding benchmark: a reverse proxy in C# built as nginx's worker is, one thread running one
/// epoll loop over non-blocking sockets, with none of .NET's asynchronous socket engine, Kestrel's transport, pipes or async
/// state machines. Run as its own process (<c>dotnet HealthAI.Benchmarks.dll event-loop-forwarder --listen URL --backend URL</c>).
/// Its CPU per request is what C# code pays when it drives the sockets itself: the gateway's connection-level forwarder runs
/// on Kestrel's transport and .NET's socket engine, so the difference between the two is what a transport of the gateway's own
/// could save. A measurement peer, not product code.
/// </summary>
/// <remarks>
/// It does less than nginx and the gateway, so it flatters itself: messages pass byte for byte (no header is rewritten), both
/// ways framed by Content-Length only (no chunked bodies), at most <see cref="MaxMessageBytes"/> each, one request at a time
/// per connection (no pipelining), and new backend connections connect synchronously. A message outside those limits, a
/// short send or a backend that fails closes the client's connection; nothing is answered that the backend did not send.
/// Linux only (epoll, through the gateway's own interop).
/// </remarks>
internal sealed class EventLoopForwarder : IDisposable
{
    public const string CommandName = "event-loop-forwarder";

    /// <summary>The largest request or answer it relays.</summary>
    public const int MaxMessageBytes = 16 * 1024;

    // The loop wakes at least this often (milliseconds) to notice Dispose.
    private const int WakeIntervalMs = 100;

    private readonly Socket _listener;
    private readonly IPEndPoint _backend;
    private readonly int _epoll;
    private readonly List<Connection> _connections = [];
    private readonly Stack<Connection> _idleBackendConnections = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly Thread _loop;
    private volatile bool _stopping;

    private EventLoopForwarder(IPEndPoint listen, IPEndPoint backend)
    {
        if (!Epoll.IsSupported)
        {
            throw new PlatformNotSupportedException("The event-loop forwarder uses epoll: Linux on x86-64 or arm64 only.");
        }

        _backend = backend;
        _epoll = Epoll.Create();

        _listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(listen);
        _listener.Listen(512);
        _listener.Blocking = false;
        Add(new Connection(_listener, index: 0, isBackend: false));
        _loop = new Thread(Run) { IsBackground = true, Name = "event-loop forwarder" };
        _loop.Start();
    }

    /// <summary>Where it listens (the port the OS chose when asked for port 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Binds <paramref name="listen"/> and starts the loop on a thread of its own.</summary>
    public static EventLoopForwarder Start(IPEndPoint listen, IPEndPoint backend) => new(listen, backend);

    /// <summary>Serves until <paramref name="cancellationToken"/> fires (the benchmark kills the process instead).</summary>
    public static async Task<int> RunAsync(Uri listen, Uri backend, CancellationToken cancellationToken)
    {
        using var forwarder = Start(await ResolveAsync(listen, cancellationToken), await ResolveAsync(backend, cancellationToken));
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _loop.Join();
        foreach (var connection in _connections)
        {
            connection.Socket.Dispose();
        }

        Epoll.CloseDescriptor(_epoll);
    }

    private static async Task<IPEndPoint> ResolveAsync(Uri address, CancellationToken cancellationToken) =>
        IPAddress.TryParse(address.IdnHost, out var ip)
            ? new IPEndPoint(ip, address.Port)
            : new IPEndPoint((await Dns.GetHostAddressesAsync(address.IdnHost, cancellationToken))[0], address.Port);

    private void Run()
    {
        var events = new byte[256 * Epoll.EventSize];
        while (!_stopping)
        {
            var ready = Epoll.Wait(_epoll, events, WakeIntervalMs);
            for (var i = 0; i < ready; i++)
            {
                var connection = _connections[(int)Epoll.DataAt(events, i)];
                if (connection.Closed)
                {
                    continue;
                }

                if (connection.Index == 0)
                {
                    Accept();
                }
                else if (connection.IsBackend)
                {
                    OnBackendReadable(connection);
                }
                else
                {
                    OnClientReadable(connection);
                }
            }
        }
    }

    // Level-triggered: one accept per wake-up, and epoll reports the listener again while more are queued.
    private void Accept()
    {
        Socket socket;
        try
        {
            socket = _listener.Accept();
        }
        catch (SocketException)
        {
            return;
        }

        socket.Blocking = false;
        socket.NoDelay = true;
        Add(new Connection(socket, NextSlot(), isBackend: false));
    }

    private void OnClientReadable(Connection client)
    {
        var length = ReadMessage(client);
        if (length == 0)
        {
            return;
        }

        if (length < 0 || client.Length > length || client.Peer is not null || !TryRentBackend(out var backend))
        {
            // Unframeable, pipelined, or no backend: outside what this peer relays.
            Remove(client);
            return;
        }

        backend.Peer = client;
        client.Peer = backend;
        client.Length = 0;
        if (!SendAll(backend.Socket, client.Buffer.AsSpan(0, length)))
        {
            Remove(backend);
        }
    }

    private void OnBackendReadable(Connection backend)
    {
        var length = ReadMessage(backend);
        if (length == 0)
        {
            return;
        }

        if (length < 0 || backend.Length > length || backend.Peer is not { } client)
        {
            // Unframeable, more than one answer, or an answer nobody waits for (its client left).
            Remove(backend);
            return;
        }

        var reusable = backend.Buffer.AsSpan(0, length).IndexOf("\r\nConnection: close"u8) < 0;
        backend.Length = 0;
        backend.Peer = null;
        client.Peer = null;
        if (!SendAll(client.Socket, backend.Buffer.AsSpan(0, length)))
        {
            Remove(client);
        }

        if (reusable)
        {
            _idleBackendConnections.Push(backend);
        }
        else
        {
            Remove(backend);
        }
    }

    // Reads what is there: the length of the whole message now in the buffer, -1 when it cannot be relayed, 0 while it is
    // incomplete (or the connection was removed).
    private int ReadMessage(Connection connection)
    {
        if (!Receive(connection))
        {
            return 0;
        }

        var length = MessageLength(connection.Buffer.AsSpan(0, connection.Length));
        return length > 0 && connection.Length < length ? 0 : length;
    }

    // Reads what is there; false when nothing more can be done now (would block) or the connection was removed.
    private bool Receive(Connection connection)
    {
        if (connection.Length == MaxMessageBytes)
        {
            Remove(connection);
            return false;
        }

        var read = connection.Socket.Receive(connection.Buffer.AsSpan(connection.Length), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            return false;
        }

        if (error != SocketError.Success || read == 0)
        {
            Remove(connection);
            return false;
        }

        connection.Length += read;
        return true;
    }

    private bool TryRentBackend(out Connection backend)
    {
        while (_idleBackendConnections.TryPop(out backend!))
        {
            if (!backend.Closed)
            {
                return true;
            }
        }

        var socket = new Socket(_backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(_backend);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return false;
        }

        socket.Blocking = false;
        backend = new Connection(socket, NextSlot(), isBackend: true);
        Add(backend);
        return true;
    }

    private static bool SendAll(Socket socket, ReadOnlySpan<byte> message) =>
        socket.Send(message, SocketFlags.None, out var error) == message.Length && error == SocketError.Success;

    // A closed connection's slot is reused. An event for it still queued in the current batch then reaches the new
    // connection, whose receive finds nothing and would block: harmless.
    private int NextSlot() => _freeSlots.TryPop(out var slot) ? slot : _connections.Count;

    private void Add(Connection connection)
    {
        if (connection.Index == _connections.Count)
        {
            _connections.Add(connection);
        }
        else
        {
            _connections[connection.Index] = connection;
        }

        Epoll.Add(_epoll, (int)connection.Socket.Handle, Epoll.In, (ulong)connection.Index);
    }

    private void Remove(Connection connection)
    {
        if (connection.Closed)
        {
            return;
        }

        connection.Closed = true;
        Epoll.Remove(_epoll, (int)connection.Socket.Handle);
        connection.Socket.Dispose();
        _freeSlots.Push(connection.Index);
        if (connection.Peer is { } peer)
        {
            peer.Peer = null;
            connection.Peer = null;
            if (connection.IsBackend)
            {
                // An exchange in flight cannot be answered any more.
                Remove(peer);
            }
        }
    }

    /// <summary>The head's length plus its Content-Length (0 without one); 0 while the head is incomplete, -1 if unframeable.</summary>
    internal static int MessageLength(ReadOnlySpan<byte> message)
    {
        var end = message.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return message.Length >= MaxMessageBytes ? -1 : 0;
        }

        var head = message[..(end + 2)];
        if (FieldValue(head, "transfer-encoding"u8).Length > 0)
        {
            return -1;
        }

        var value = FieldValue(head, "content-length"u8);
        var bodyLength = 0;
        foreach (var digit in value)
        {
            if (digit is < (byte)'0' or > (byte)'9' || bodyLength > MaxMessageBytes)
            {
                return -1;
            }

            bodyLength = (bodyLength * 10) + (digit - '0');
        }

        var length = end + 4 + bodyLength;
        return length > MaxMessageBytes ? -1 : length;
    }

    // The trimmed value of the first field named <lowerName> (ASCII case-insensitive), or empty.
    private static ReadOnlySpan<byte> FieldValue(ReadOnlySpan<byte> head, ReadOnlySpan<byte> lowerName)
    {
        for (var line = head.IndexOf("\r\n"u8); line >= 0 && line + 2 < head.Length;)
        {
            var rest = head[(line + 2)..];
            var next = rest.IndexOf("\r\n"u8);
            var field = rest[..next];
            var colon = field.IndexOf((byte)':');
            if (colon == lowerName.Length && System.Text.Ascii.EqualsIgnoreCase(field[..colon], lowerName))
            {
                return field[(colon + 1)..].Trim((byte)' ');
            }

            line += 2 + next;
        }

        return default;
    }

    private sealed class Connection(Socket socket, int index, bool isBackend)
    {
        public Socket Socket { get; } = socket;

        /// <summary>Its slot in the loop's list and its epoll data; 0 is the listener.</summary>
        public int Index { get; } = index;

        public bool IsBackend { get; } = isBackend;

        public byte[] Buffer { get; } = new byte[MaxMessageBytes];

        public int Length { get; set; }

        /// <summary>The other side of the exchange in flight, if one is.</summary>
        public Connection? Peer { get; set; }

        public bool Closed { get; set; }
    }
}
