namespace HealthAI.Gateway.Hosting;

/// <summary>
/// Transport settings beyond Kestrel's own: HSTS and which proxies may set X-Forwarded-*. Bound from <c>Gateway:Transport</c>.
/// The HTTPS endpoint and its certificate are Kestrel's configuration (<c>Kestrel:Endpoints:Https:Url</c> with
/// <c>Certificate:Path</c>/<c>KeyPath</c>/<c>Password</c> or <c>Certificate:Subject</c>/<c>Store</c>/<c>Location</c>), checked at start-up.
/// </summary>
public sealed class TransportSecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:Transport";

    /// <summary>HSTS max-age sent on HTTPS responses outside Development.</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Include subdomains in HSTS.</summary>
    public bool HstsIncludeSubDomains { get; set; } = true;

    /// <summary>Proxy addresses whose X-Forwarded-For/Proto are believed. Empty: none are (the headers are ignored).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks (CIDR, e.g. <c>10.0.0.0/8</c>) whose X-Forwarded-For/Proto are believed.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxy hops to unwind.</summary>
    public int ForwardLimit { get; set; } = 1;
}
