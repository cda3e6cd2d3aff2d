using System.Net;

namespace HealthAI.Benchmarks.Load.Targets;

/// <summary>HttpClient set-up shared by every target: one pool sized for the virtual users, no client-side timeout (each request has its own).</summary>
public static class HttpClients
{
    public static HttpClient Create(Uri baseAddress, TransportProtocol protocol, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, maxConnections),
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        return new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = protocol == TransportProtocol.Http1 ? HttpVersion.Version11 : HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}
