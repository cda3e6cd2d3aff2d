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
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next =>
            {
                // Middleware from the endpoint defaults runs outside the endpoint's TLS, which Kestrel adds later: on an HTTPS
                // endpoint the forwarder would see the raw bytes, and would serve a plain-text request sent to that port. This
                // factory runs when Kestrel binds the endpoint, once its TLS is settled, so HTTPS endpoints are left out here.
                if (!IsPlainHttp(listen))
                {
                    return next;
                }

                return connection => (forwarder ??= services.GetRequiredService<ConnectionForwarder>()).OnConnectedAsync(connection, next);
            }));
        });
        return builder;
    }

    // Kestrel's public view of an endpoint's scheme is its display name ("http://127.0.0.1:5080", "https://..."). Anything not
    // plainly http, including a form this does not know, keeps to Kestrel's own handling.
    private static bool IsPlainHttp(ListenOptions listen) =>
        listen.ToString()?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true;
}
