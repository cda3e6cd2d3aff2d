namespace HealthAI.Gateway.Forwarding;

/// <summary>
/// The forwarder's configuration, in Yarp.ReverseProxy's shape (<c>ReverseProxy:Routes:{id}</c>, <c>ReverseProxy:Clusters:{id}</c>)
/// and member names, so that the same section drives YARP once its package can be restored here. Only the members this
/// forwarder honours are declared; the binder ignores the rest.
/// </summary>
public sealed class ReverseProxyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReverseProxy";

    /// <summary>Routes by route id.</summary>
    public Dictionary<string, RouteConfig> Routes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Clusters by cluster id.</summary>
    public Dictionary<string, ClusterConfig> Clusters { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A route: which requests it matches and which cluster receives them (YARP <c>RouteConfig</c>).</summary>
public sealed class RouteConfig
{
    /// <summary>The cluster that receives matched requests. Required.</summary>
    public string? ClusterId { get; set; }

    /// <summary>
    /// The authorization policy: a policy name, <c>Default</c> (any authenticated caller) or <c>Anonymous</c>. Unlike YARP, an
    /// empty value means <c>Default</c>: a gateway route is never open by omission.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>Which requests match. Required.</summary>
    public RouteMatch Match { get; set; } = new();

    /// <summary>Ordering among routes that match the same request (lower first).</summary>
    public int? Order { get; set; }
}

/// <summary>The match criteria of a route (YARP <c>RouteMatch</c>).</summary>
public sealed class RouteMatch
{
    /// <summary>An ASP.NET Core route pattern such as <c>/v2/models/{name}</c>. Required.</summary>
    public string? Path { get; set; }

    /// <summary>Allowed methods; empty means any.</summary>
    public List<string> Methods { get; set; } = [];
}

/// <summary>A group of equivalent destinations (YARP <c>ClusterConfig</c>).</summary>
public sealed class ClusterConfig
{
    /// <summary>Destinations by name. The first one is used; logical addresses resolve through service discovery.</summary>
    public Dictionary<string, DestinationConfig> Destinations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per-request settings (YARP <c>ForwarderRequestConfig</c>).</summary>
    public ForwarderRequestConfig HttpRequest { get; set; } = new();

    /// <summary>Outgoing connection settings (YARP <c>HttpClientConfig</c>).</summary>
    public HttpClientConfig HttpClient { get; set; } = new();
}

/// <summary>One destination (YARP <c>DestinationConfig</c>).</summary>
public sealed class DestinationConfig
{
    /// <summary>The destination's base address, e.g. <c>http://deid</c>. Required.</summary>
    public string? Address { get; set; }
}

/// <summary>Per-request settings (YARP <c>ForwarderRequestConfig</c>).</summary>
public sealed class ForwarderRequestConfig
{
    /// <summary>How long the destination may take to answer (headers and body); then 504. YARP's default is 100 s.</summary>
    public TimeSpan? ActivityTimeout { get; set; }
}

/// <summary>Outgoing connection settings (YARP <c>HttpClientConfig</c>).</summary>
public sealed class HttpClientConfig
{
    /// <summary>Connection cap per destination; unlimited when empty.</summary>
    public int? MaxConnectionsPerServer { get; set; }

    /// <summary>Open more HTTP/2 connections when one is saturated (default true, as YARP).</summary>
    public bool? EnableMultipleHttp2Connections { get; set; }
}
