using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.ConnectionForwarding.EventLoop;

/// <summary>
/// Kestrel's transport for the gateway's plain-HTTP endpoints (<c>Gateway:ConnectionForwarding:Transport</c> =
/// <c>EventLoop</c>): event loops that serve forwarded requests themselves and hand every other connection to Kestrel. Kestrel
/// asks it first for each endpoint (<see cref="CanBind"/>); HTTPS endpoints, and everything when it does not apply, stay on
/// Kestrel's socket transport with the connection-level forwarder as connection middleware.
/// </summary>
internal sealed class EventLoopTransportFactory(
    IServiceProvider services,
    IOptions<ConnectionForwardingOptions> options,
    IOptions<KestrelServerOptions> kestrel,
    IOptions<SocketTransportOptions> sockets,
    ILoggerFactory loggers) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private const int MaxNotes = 64;

    private readonly Lock _gate = new();
    private readonly List<(EndPoint EndPoint, bool Tls)> _endpoints = [];
    private readonly List<EventLoopListener> _listeners = [];

    /// <summary>The end points the event loops listen on (diagnostics and tests).</summary>
    public IReadOnlyList<EndPoint> BoundEndPoints
    {
        get
        {
            lock (_gate)
            {
                return [.. _listeners.Select(listener => listener.EndPoint)];
            }
        }
    }

    /// <summary>
    /// Notes an endpoint Kestrel is building, and whether it has TLS (which the loops never serve). Called from the endpoint's
    /// connection middleware factory, which Kestrel runs just before binding the endpoint.
    /// </summary>
    public void Note(EndPoint endPoint, bool tls)
    {
        lock (_gate)
        {
            // Kestrel rebuilds endpoints when its configuration reloads; only the latest notes can matter.
            if (_endpoints.Count == MaxNotes)
            {
                _endpoints.RemoveAt(0);
            }

            _endpoints.Add((endPoint, tls));
        }
    }

    /// <summary>Whether the event loops apply at all: on, supported here, forwarding enabled, no connection limits.</summary>
    public bool IsActive =>
        options.Value.Transport == ForwardingTransport.EventLoop
        && Epoll.IsSupported
        && services.GetRequiredService<ConnectionForwarder>().IsEnabled
        // Kestrel counts and limits the connections of its own transport only.
        && kestrel.Value.Limits.MaxConcurrentConnections is null;

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint address && IsActive && IsPlainHttp(address);

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var socket = sockets.Value;
        var contexts = new SocketConnectionContextFactory(
            new SocketConnectionFactoryOptions
            {
                IOQueueCount = socket.IOQueueCount,
                WaitForDataBeforeAllocatingBuffer = socket.WaitForDataBeforeAllocatingBuffer,
                MaxReadBufferSize = socket.MaxReadBufferSize,
                MaxWriteBufferSize = socket.MaxWriteBufferSize,
                UnsafePreferInlineScheduling = socket.UnsafePreferInlineScheduling,
            },
            loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
        var loops = options.Value.EventLoops == 0 ? Environment.ProcessorCount : options.Value.EventLoops;
        var listener = new EventLoopListener(endpoint, services.GetRequiredService<ConnectionForwarder>(), contexts, loops);
        lock (_gate)
        {
            _listeners.Add(listener);
        }

        return ValueTask.FromResult<IConnectionListener>(listener);
    }

    // Kestrel builds each endpoint just before binding it, and binds the very end point object it was built with, except
    // "localhost", which it builds once and binds on both loopback addresses with the same port. The latest note that matches
    // decides (a configuration reload may turn a port from http into https); an end point not seen being built is left to
    // Kestrel.
    private bool IsPlainHttp(IPEndPoint endpoint)
    {
        lock (_gate)
        {
            for (var i = _endpoints.Count - 1; i >= 0; i--)
            {
                var (noted, tls) = _endpoints[i];
                if (ReferenceEquals(noted, endpoint)
                    || noted is IPEndPoint { Port: var port } ip && port != 0 && port == endpoint.Port
                    && IPAddress.IsLoopback(ip.Address) && IPAddress.IsLoopback(endpoint.Address))
                {
                    return !tls;
                }
            }

            return false;
        }
    }
}
