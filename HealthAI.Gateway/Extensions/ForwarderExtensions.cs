using HealthAI.Gateway.Forwarding;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>The small forwarder for routes the gateway passes through (<c>/v1/deidentify</c>, <c>/v2/models/...</c>).</summary>
public static class GatewayForwarderExtensions
{
    /// <summary>Binds and validates <c>ReverseProxy</c> (YARP's shape) and registers the forwarder and its connection pools.</summary>
    public static IHostApplicationBuilder AddGatewayForwarder(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReverseProxyOptions>()
            .BindConfiguration(ReverseProxyOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReverseProxyOptions>, ReverseProxyOptionsValidator>();
        builder.Services.AddSingleton<ForwardedClusters>();
        builder.Services.AddSingleton<HttpForwarder>();
        return builder;
    }
}
