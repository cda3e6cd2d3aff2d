using System.Text;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>The header names the parsers and writers act on; every other name is <see cref="Other"/>.</summary>
internal enum Http1KnownHeader
{
    Other,
    Authorization,
    Connection,
    ContentLength,
    ContentType,
    CorrelationContext,
    Expect,
    Host,
    KeepAlive,
    ProxyAuthenticate,
    ProxyAuthorization,
    ProxyConnection,
    RequestId,
    TE,
    TraceParent,
    Trailer,
    TransferEncoding,
    Upgrade,
    XForwardedFor,
    XForwardedHost,
    XForwardedPrefix,
    XForwardedProto,
}

/// <summary>Case-insensitive header name lookup without strings: dispatch on length, then one or two ASCII comparisons.</summary>
internal static class Http1HeaderNames
{
    public static Http1KnownHeader Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 => Is(name, "TE"u8, Http1KnownHeader.TE),
        4 => Is(name, "Host"u8, Http1KnownHeader.Host),
        6 => Is(name, "Expect"u8, Http1KnownHeader.Expect),
        7 => Is(name, "Upgrade"u8, Http1KnownHeader.Upgrade, "Trailer"u8, Http1KnownHeader.Trailer),
        10 => Is(name, "Connection"u8, Http1KnownHeader.Connection, "Keep-Alive"u8, Http1KnownHeader.KeepAlive,
            "Request-Id"u8, Http1KnownHeader.RequestId),
        11 => Is(name, "traceparent"u8, Http1KnownHeader.TraceParent),
        12 => Is(name, "Content-Type"u8, Http1KnownHeader.ContentType),
        13 => Is(name, "Authorization"u8, Http1KnownHeader.Authorization),
        14 => Is(name, "Content-Length"u8, Http1KnownHeader.ContentLength),
        15 => Is(name, "X-Forwarded-For"u8, Http1KnownHeader.XForwardedFor),
        16 => Is(name, "Proxy-Connection"u8, Http1KnownHeader.ProxyConnection, "X-Forwarded-Host"u8, Http1KnownHeader.XForwardedHost),
        17 => Is(name, "Transfer-Encoding"u8, Http1KnownHeader.TransferEncoding, "X-Forwarded-Proto"u8, Http1KnownHeader.XForwardedProto),
        18 => Is(name, "Proxy-Authenticate"u8, Http1KnownHeader.ProxyAuthenticate,
            "X-Forwarded-Prefix"u8, Http1KnownHeader.XForwardedPrefix),
        19 => Is(name, "Proxy-Authorization"u8, Http1KnownHeader.ProxyAuthorization,
            "Correlation-Context"u8, Http1KnownHeader.CorrelationContext),
        _ => Http1KnownHeader.Other,
    };

    /// <summary>
    /// Headers that do not cross to the destination: hop-by-hop ones (RFC 9110 section 7.6.1), Host (set from the destination),
    /// the caller's credential (its audience is the gateway), X-Forwarded-* (never trusted from a client) and the trace context
    /// headers the gateway writes itself (two parents would be ambiguous). tracestate and baggage pass through.
    /// </summary>
    public static bool IsDroppedFromRequest(Http1KnownHeader header) => header is Http1KnownHeader.Host
        or Http1KnownHeader.Connection or Http1KnownHeader.KeepAlive or Http1KnownHeader.ProxyConnection
        or Http1KnownHeader.ProxyAuthorization or Http1KnownHeader.ProxyAuthenticate or Http1KnownHeader.TE
        or Http1KnownHeader.Trailer or Http1KnownHeader.TransferEncoding or Http1KnownHeader.Upgrade
        or Http1KnownHeader.Authorization or Http1KnownHeader.XForwardedFor or Http1KnownHeader.XForwardedProto
        or Http1KnownHeader.XForwardedHost or Http1KnownHeader.XForwardedPrefix or Http1KnownHeader.TraceParent
        or Http1KnownHeader.RequestId or Http1KnownHeader.CorrelationContext;

    /// <summary>Hop-by-hop headers of a response; Transfer-Encoding is the writer's decision (kept only for chunked framing).</summary>
    public static bool IsDroppedFromResponse(Http1KnownHeader header) => header is Http1KnownHeader.Connection
        or Http1KnownHeader.KeepAlive or Http1KnownHeader.ProxyConnection or Http1KnownHeader.ProxyAuthenticate
        or Http1KnownHeader.ProxyAuthorization or Http1KnownHeader.TE or Http1KnownHeader.Trailer or Http1KnownHeader.Upgrade
        or Http1KnownHeader.TransferEncoding;

    private static Http1KnownHeader Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> known, Http1KnownHeader header) =>
        Ascii.EqualsIgnoreCase(name, known) ? header : Http1KnownHeader.Other;

    private static Http1KnownHeader Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> first, Http1KnownHeader firstHeader,
        ReadOnlySpan<byte> second, Http1KnownHeader secondHeader) =>
        Ascii.EqualsIgnoreCase(name, first) ? firstHeader : Is(name, second, secondHeader);

    private static Http1KnownHeader Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> first, Http1KnownHeader firstHeader,
        ReadOnlySpan<byte> second, Http1KnownHeader secondHeader, ReadOnlySpan<byte> third, Http1KnownHeader thirdHeader) =>
        Ascii.EqualsIgnoreCase(name, first) ? firstHeader : Is(name, second, secondHeader, third, thirdHeader);
}
