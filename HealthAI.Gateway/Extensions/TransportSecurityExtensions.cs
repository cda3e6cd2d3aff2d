using System.Net;
using HealthAI.Gateway.Hosting;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>TLS-related behaviour: HSTS, and forwarded headers believed only from configured proxies.</summary>
public static class TransportSecurityExtensions
{
    /// <summary>Binds <c>Gateway:Transport</c> and configures HSTS and forwarded headers from it.</summary>
    public static IHostApplicationBuilder AddGatewayTransportSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TransportSecurityOptions>()
            .BindConfiguration(TransportSecurityOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TransportSecurityOptions>, TransportSecurityOptionsValidator>();

        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TransportSecurityOptions>>((forwarded, transport) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = transport.Value.ForwardLimit;
            // The framework trusts loopback by default; a gateway trusts only what it is told to.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in transport.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in transport.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.AddHsts(_ => { });
        builder.Services.AddOptions<HstsOptions>().Configure<IOptions<TransportSecurityOptions>>((hsts, transport) =>
        {
            hsts.MaxAge = transport.Value.HstsMaxAge;
            hsts.IncludeSubDomains = transport.Value.HstsIncludeSubDomains;
        });
        return builder;
    }

    /// <summary>Forwarded headers first (so every later step sees the client's address and scheme), then HSTS outside Development.</summary>
    public static WebApplication UseGatewayTransportSecurity(this WebApplication app)
    {
        // With both lists empty the middleware believes every sender, so with no proxy configured it must not run at all.
        var transport = app.Services.GetRequiredService<IOptions<TransportSecurityOptions>>().Value;
        if (transport.KnownProxies.Count > 0 || transport.KnownNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        return app;
    }
}
