using HealthAI.Gateway.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Kestrel's socket transport as a proxy on few cores wants it.</summary>
public static class GatewayServerExtensions
{
    /// <summary>Binds <c>Gateway:Server</c> and applies it to the socket transport.</summary>
    public static IHostApplicationBuilder AddGatewayServer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName).ValidateOnStart();
        builder.Services.AddOptions<SocketTransportOptions>().Configure<IOptions<ServerOptions>>((transport, server) =>
            transport.UnsafePreferInlineScheduling = server.Value.InlineScheduling);
        return builder;
    }
}
