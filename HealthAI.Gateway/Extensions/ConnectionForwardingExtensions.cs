using HealthAI.Gateway.ConnectionForwarding;
using HealthAI.Gateway.ConnectionForwarding.EventLoop;
using HealthAI.Gateway.Forwarding;
using HealthAI.Gateway.Limits;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>The connection-level forwarder in front of ASP.NET Core's pipeline (<c>Gateway:ConnectionForwarding</c>).</summary>
public static class GatewayConnectionForwardingExtensions
{
    /// <summary>
    /// Registers the connection-level forwarder: on the gateway's own event-loop transport for plain-HTTP endpoints where it
    /// applies, else as connection middleware on Kestrel's plain-HTTP endpoints. Call after
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
        // Registered after Kestrel's socket transport, so Kestrel asks it first whether it binds an endpoint.
        builder.Services.AddSingleton<EventLoopTransportFactory>();
        builder.Services.AddSingleton<IConnectionListenerFactory>(services => services.GetRequiredService<EventLoopTransportFactory>());
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IServiceProvider>((kestrel, services) =>
        {
            ConnectionForwarder? forwarder = null;
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next =>
            {
                // Middleware from the endpoint defaults runs outside the endpoint's TLS, which Kestrel adds later: on an HTTPS
                // endpoint the forwarder would see the raw bytes, and would serve a plain-text request sent to that port. This
                // factory runs when Kestrel binds the endpoint, once its TLS is settled, so HTTPS endpoints are left out here,
                // and the event-loop transport learns which endpoints it may bind.
                var plainHttp = IsPlainHttp(listen);
                services.GetRequiredService<EventLoopTransportFactory>().Note(listen.EndPoint, tls: !plainHttp);
                if (!plainHttp)
                {
                    return next;
                }

                // A connection an event loop handed over has had the forwarder's look already: it goes to Kestrel's HTTP stack.
                return connection => connection.Features.Get<HandedOverByEventLoop>() is not null
                    ? next(connection)
                    : (forwarder ??= services.GetRequiredService<ConnectionForwarder>()).OnConnectedAsync(connection, next);
            }));
        });
        return builder;
    }

    // Kestrel's public view of an endpoint's scheme is its display name ("http://127.0.0.1:5080", "https://..."). Anything not
    // plainly http, including a form this does not know, keeps to Kestrel's own handling.
    private static bool IsPlainHttp(ListenOptions listen) =>
        listen.ToString()?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true;
}
