using HealthAI.Gateway.ConnectionForwarding;
using HealthAI.Gateway.Forwarding;
using HealthAI.Gateway.Limits;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>The connection-level forwarder in front of ASP.NET Core's pipeline (<c>Gateway:ConnectionForwarding</c>).</summary>
public static class GatewayConnectionForwardingExtensions
{
    /// <summary>
    /// Registers the connection-level forwarder as connection middleware on every Kestrel endpoint. Call after
    /// <c>AddGatewayForwarder</c>, <c>AddGatewayLimits</c>, <c>AddGatewayAuthentication</c> and <c>AddGatewayAudit</c>: it uses
    /// their routes, buckets, policies and audit trail.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayConnectionForwarding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConnectionForwardingOptions>()
            .BindConfiguration(ConnectionForwardingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new ForwardedRouteTable(
            services.GetRequiredService<IOptions<ReverseProxyOptions>>().Value,
            services.GetRequiredService<IOptions<GatewayRoutesOptions>>().Value,
            services.GetRequiredService<ForwardedClusters>()));
        builder.Services.AddSingleton<CallerAdmissions>();
        builder.Services.AddSingleton<ForwardingTelemetry>();
        builder.Services.AddSingleton<ConnectionForwarder>();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IServiceProvider>((kestrel, services) =>
        {
            ConnectionForwarder? forwarder = null;
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
                (forwarder ??= services.GetRequiredService<ConnectionForwarder>()).OnConnectedAsync(connection, next)));
        });
        return builder;
    }
}
