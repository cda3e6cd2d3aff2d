using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HealthAI.InferenceServer.Hosting;

/// <summary>
/// The three listeners (HTTP/REST, gRPC h2c, metrics) Kestrel binds. Kestrel writes the bound port back into each
/// <see cref="ListenOptions"/>, so port 0 resolves to the real port once the server has started.
/// </summary>
public sealed class ListenerEndpoints
{
    internal ListenOptions? Http { get; set; }
    internal ListenOptions? Grpc { get; set; }
    internal ListenOptions? Metrics { get; set; }

    public int HttpPort => Http?.IPEndPoint?.Port ?? -1;
    public int GrpcPort => Grpc?.IPEndPoint?.Port ?? -1;
    public int MetricsPort => Metrics?.IPEndPoint?.Port ?? -1;

    public Uri HttpAddress => Address(Http);
    public Uri GrpcAddress => Address(Grpc);
    public Uri MetricsAddress => Address(Metrics);

    private static Uri Address(ListenOptions? options)
    {
        var endpoint = options?.IPEndPoint ?? throw new InvalidOperationException("The server has not started yet.");
        var host = endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{endpoint.Address}]"
            : endpoint.Address.ToString();
        return new Uri($"http://{host}:{endpoint.Port}");
    }
}
