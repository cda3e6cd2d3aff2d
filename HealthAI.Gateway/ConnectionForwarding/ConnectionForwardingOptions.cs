using System.ComponentModel.DataAnnotations;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>
/// The connection-level forwarder: plain HTTP/1.1 requests to forwarded routes go straight from the client's connection (on the
/// gateway's event loops, or on Kestrel's transport: <see cref="Transport"/>) to a pooled destination connection. Bound from <c>Gateway:ConnectionForwarding</c>. The client side keeps Kestrel's own limits
/// (<c>Kestrel:Limits</c>: keep-alive timeout, request headers timeout, minimum request body data rate).
/// </summary>
public sealed class ConnectionForwardingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:ConnectionForwarding";

    /// <summary>Off: every request takes ASP.NET Core's pipeline (same answers, about four times the CPU per forwarded request).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The largest request head handled here; a larger one is handed to Kestrel, whose own limit (32 KB) answers it.</summary>
    [Range(1024, 65536)]
    public int MaxRequestHeadBytes { get; set; } = 16 * 1024;

    /// <summary>How long a destination connection may sit unused in the pool before it is closed rather than reused.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PooledConnectionIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Idle destination connections kept per cluster.</summary>
    [Range(1, 4096)]
    public int MaxIdleConnectionsPerCluster { get; set; } = 256;

    /// <summary>
    /// What carries the plain-HTTP endpoints: <see cref="ForwardingTransport.EventLoop"/> (Linux) or Kestrel's socket transport.
    /// </summary>
    public ForwardingTransport Transport { get; set; } = ForwardingTransport.EventLoop;

    /// <summary>Event loops (threads) per endpoint for <see cref="ForwardingTransport.EventLoop"/>; 0: one per processor.</summary>
    [Range(0, 64)]
    public int EventLoops { get; set; }

    /// <summary>How long opening a destination connection may take before the request is answered 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>What carries the forwarder's plain-HTTP endpoints.</summary>
public enum ForwardingTransport
{
    /// <summary>
    /// The gateway's own event loops (Linux on x86-64 or arm64; elsewhere Kestrel's): forwarded requests are served with
    /// synchronous non-blocking socket calls on one thread per loop, and every other connection goes to Kestrel.
    /// </summary>
    EventLoop,

    /// <summary>Kestrel's socket transport, with the forwarder as connection middleware.</summary>
    Kestrel,
}
