namespace HealthAI.Gateway.Hosting;

/// <summary>How Kestrel schedules the gateway's work. Bound from <c>Gateway:Server</c>.</summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:Server";

    /// <summary>
    /// Run request processing straight on the socket's completion instead of queuing it to another thread first (Kestrel's
    /// <c>UnsafePreferInlineScheduling</c>, what YARP and the TechEmpower entries use for a proxy), and let the runtime complete
    /// socket operations on its event threads (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, one event thread per
    /// core, unless the environment already sets it). Each saves one thread hop per socket read, which on a small box is a
    /// large share of a forwarded request's cost. It is safe here because nothing on the request path blocks a thread: every
    /// wait (downstream calls, audit queue, token metadata) is awaited. Turn it off if a change ever adds a blocking call to
    /// the request path.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;
}
