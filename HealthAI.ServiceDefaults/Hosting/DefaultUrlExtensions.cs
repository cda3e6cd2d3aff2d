using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>A service's local default address, used only when nothing else chose one.</summary>
public static class DefaultUrlExtensions
{
    /// <summary>
    /// Listens on <paramref name="defaultUrls"/> unless <c>ASPNETCORE_URLS</c>, <c>--urls</c>, <c>URLS</c> or
    /// <c>Kestrel:Endpoints</c> say otherwise: appsettings must not override what the AppHost or an orchestrator injects.
    /// </summary>
    public static WebApplicationBuilder UseDefaultUrls(this WebApplicationBuilder builder, string defaultUrls)
    {
        var configured = builder.Configuration["urls"];
        var kestrelEndpoints = builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        var httpPorts = builder.Configuration["http_ports"] ?? builder.Configuration["https_ports"];
        if (string.IsNullOrWhiteSpace(configured) && !kestrelEndpoints && string.IsNullOrWhiteSpace(httpPorts))
        {
            builder.WebHost.UseUrls(defaultUrls);
        }

        return builder;
    }
}
