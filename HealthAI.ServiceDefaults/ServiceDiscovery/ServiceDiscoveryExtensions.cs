using HealthAI.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Service discovery registration, named as Microsoft.Extensions.ServiceDiscovery names it.</summary>
public static class ServiceDiscoveryExtensions
{
    /// <summary>Registers the configuration-based resolver.</summary>
    public static IServiceCollection AddServiceDiscovery(this IServiceCollection services)
    {
        services.TryAddSingleton<ServiceEndpointResolver>();
        return services;
    }

    /// <summary>Rewrites logical addresses (<c>http://deid</c>) to configured endpoints on every request of this client.</summary>
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder)
    {
        builder.Services.AddServiceDiscovery();
        builder.AddHttpMessageHandler(sp => new ServiceDiscoveryHttpMessageHandler(sp.GetRequiredService<ServiceEndpointResolver>()));
        return builder;
    }
}
