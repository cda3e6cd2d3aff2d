using HealthAI.Gateway.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Kestrel's socket transport as a proxy on few cores wants it.</summary>
public static class GatewayServerExtensions
{
    /// <summary>The runtime's switch for completing socket operations on its event threads (read once, at the first socket).</summary>
    public const string InlineSocketCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Binds <c>Gateway:Server</c> and applies it to the socket transport and the runtime's socket engine, and binds Kestrel's
    /// limits from <c>Kestrel:Limits</c>.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayServer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName).ValidateOnStart();
        builder.Services.AddOptions<SocketTransportOptions>().Configure<IOptions<ServerOptions>>((transport, server) =>
            transport.UnsafePreferInlineScheduling = server.Value.InlineScheduling);

        // Kestrel reads only its endpoints from configuration; its limits (timeouts, head and body sizes, data rates) are set in
        // code. An operator sets them as Kestrel:Limits:* (Kestrel__Limits__KeepAliveTimeout in Kubernetes), and both ways in
        // (the pipeline and the connection-level forwarder) read them from these options. A value that cannot be read stops
        // start-up with the key in the message.
        var limits = builder.Configuration.GetSection("Kestrel:Limits");
        builder.Services.AddOptions<KestrelServerOptions>().Configure(kestrel =>
        {
            limits.Bind(kestrel.Limits);
            // The data rates are immutable objects, which binding leaves as they are: each is rebuilt from what is set.
            kestrel.Limits.MinRequestBodyDataRate = DataRate(limits.GetSection("MinRequestBodyDataRate"), kestrel.Limits.MinRequestBodyDataRate);
            kestrel.Limits.MinResponseDataRate = DataRate(limits.GetSection("MinResponseDataRate"), kestrel.Limits.MinResponseDataRate);
        });

        // Inline scheduling saves Kestrel's hop; this saves the runtime's, which otherwise queues every socket completion (client
        // and destination side alike) to the thread pool before anything runs. The runtime reads the variable once, when the
        // first socket is used: Kestrel binds after this, when the host starts, so it applies to the whole process. Set here,
        // not left to each deployment, so `dotnet run`, the AppHost and Kubernetes all get it; an operator's own value wins.
        var inline = builder.Configuration.GetValue($"{ServerOptions.SectionName}:{nameof(ServerOptions.InlineScheduling)}", true);
        if (inline && Environment.GetEnvironmentVariable(InlineSocketCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineSocketCompletionsVariable, "1");
        }

        return builder;
    }

    private static MinDataRate? DataRate(IConfigurationSection section, MinDataRate? current) =>
        !section.GetChildren().Any()
            ? current
            : new MinDataRate(
                section.GetValue("BytesPerSecond", current?.BytesPerSecond ?? 240),
                section.GetValue("GracePeriod", current?.GracePeriod ?? TimeSpan.FromSeconds(5)));
}
