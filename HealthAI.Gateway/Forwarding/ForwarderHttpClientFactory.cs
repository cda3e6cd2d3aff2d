using System.Diagnostics;
using System.Net;

namespace HealthAI.Gateway.Forwarding;

/// <summary>
/// Builds the outgoing handler of one cluster with the defaults YARP chose for a proxy: no proxy, redirects, cookies or
/// decompression (the client sees the destination's answer as sent), several HTTP/2 connections when one is saturated, a
/// bounded connect time, and W3C trace context injected from the current activity.
/// </summary>
internal static class ForwarderHttpClientFactory
{
    public static HttpMessageInvoker Create(HttpClientConfig config)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = config.EnableMultipleHttp2Connections ?? true,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ActivityHeadersPropagator = DistributedContextPropagator.Current,
        };
        if (config.MaxConnectionsPerServer is { } max)
        {
            handler.MaxConnectionsPerServer = max;
        }

        // HttpMessageInvoker, not HttpClient: HttpClient's convenience overloads buffer and add a timeout of their own.
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }
}
