using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace HealthAI.Gateway.Forwarding;

/// <summary>Header rules of a proxy (RFC 9110 section 7.6.1): what must not cross, and how the rest is copied without LINQ.</summary>
internal static class RequestUtilities
{
    // Connection-specific headers, meaningful for one hop only. Host is set from the destination; X-Forwarded-* are rewritten
    // by the forwarder, never passed through from an untrusted client. Authorization stops here too (unlike YARP's default):
    // the token's audience is the gateway, and internal services neither need nor should hold a caller's credential.
    private static readonly HashSet<string> RequestHeadersNotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, "Proxy-Connection", HeaderNames.ProxyAuthenticate, HeaderNames.ProxyAuthorization,
        HeaderNames.TE, HeaderNames.Trailer, HeaderNames.TransferEncoding, HeaderNames.Upgrade, HeaderNames.Host,
        HeaderNames.Authorization, "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Prefix",
    };

    private static readonly HashSet<string> ResponseHeadersNotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, "Proxy-Connection", HeaderNames.ProxyAuthenticate, HeaderNames.ProxyAuthorization,
        HeaderNames.TE, HeaderNames.Trailer, HeaderNames.TransferEncoding, HeaderNames.Upgrade,
    };

    // Set by SocketsHttpHandler from Activity.Current when one exists; passing the client's copy too would send two parents.
    private static readonly HashSet<string> TraceHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "traceparent", "tracestate", "Request-Id", "Correlation-Context", "baggage",
    };

    public static void CopyRequestHeaders(HttpContext context, HttpRequestMessage request, bool activityPropagates)
    {
        var headers = context.Request.Headers;
        var connection = headers.Connection;
        foreach (var header in headers)
        {
            var name = header.Key;
            if (RequestHeadersNotForwarded.Contains(name) || (activityPropagates && TraceHeaders.Contains(name))
                || (connection.Count > 0 && NamedIn(connection, name)))
            {
                continue;
            }

            AddHeader(request.Headers, request.Content?.Headers, name, header.Value);
        }
    }

    public static void AddForwardedHeaders(HttpContext context, HttpRequestMessage request)
    {
        var headers = request.Headers;
        if (context.Connection.RemoteIpAddress is { } remote)
        {
            headers.TryAddWithoutValidation("X-Forwarded-For", remote.ToString());
        }

        headers.TryAddWithoutValidation("X-Forwarded-Proto", context.Request.Scheme);
        if (context.Request.Host.HasValue)
        {
            headers.TryAddWithoutValidation("X-Forwarded-Host", context.Request.Host.Value);
        }

        if (context.Request.PathBase.HasValue)
        {
            headers.TryAddWithoutValidation("X-Forwarded-Prefix", context.Request.PathBase.Value);
        }
    }

    public static void CopyResponseHeaders(HttpHeaders source, IHeaderDictionary destination)
    {
        // NonValidated enumerates without parsing or allocating per header.
        foreach (var header in source.NonValidated)
        {
            if (ResponseHeadersNotForwarded.Contains(header.Key))
            {
                continue;
            }

            destination.Append(header.Key, ToStringValues(header.Value));
        }
    }

    private static void AddHeader(HttpRequestHeaders requestHeaders, HttpContentHeaders? contentHeaders, string name, StringValues values)
    {
        // Content-* headers belong to the content; everything else to the request. TryAddWithoutValidation returns false for a
        // header in the wrong collection, which is cheaper than a lookup table.
        if (values.Count == 1)
        {
            var value = values.ToString();
            if (!requestHeaders.TryAddWithoutValidation(name, value))
            {
                contentHeaders?.TryAddWithoutValidation(name, value);
            }
        }
        else if (!requestHeaders.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
        {
            contentHeaders?.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
    }

    private static StringValues ToStringValues(HeaderStringValues values)
    {
        if (values.Count == 1)
        {
            return new StringValues(values.ToString());
        }

        var array = new string[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            array[i++] = value;
        }

        return new StringValues(array);
    }

    private static bool NamedIn(StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            var span = value.AsSpan();
            foreach (var range in span.Split(','))
            {
                if (span[range].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
