using HealthAI.ServiceDefaults.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The standard resilience handler on Polly.Core, named as Microsoft.Extensions.Http.Resilience names it (that package does
/// not restore here). Pipelines live in a registry keyed by client name, so circuit state survives handler rotation.
/// </summary>
public static class ResilienceExtensions
{
    /// <summary>Binds and validates the default options at start-up.</summary>
    public static IServiceCollection AddHttpResilienceOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ResiliencePipelineRegistry<string>>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpResilienceOptions>, HttpResilienceOptionsValidator>());
        services.AddOptions<HttpResilienceOptions>()
            .Bind(configuration.GetSection(HttpResilienceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>Adds the standard pipeline to this client; per-client values come from <c>...:Clients:{name}</c>.</summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder)
    {
        var name = builder.Name;
        if (!string.IsNullOrEmpty(name))
        {
            builder.Services.AddOptions<HttpResilienceOptions>(name).Configure<IConfiguration>((options, configuration) =>
            {
                configuration.GetSection(HttpResilienceOptions.SectionName).Bind(options);
                configuration.GetSection($"{HttpResilienceOptions.SectionName}:Clients:{name}").Bind(options);
            });
        }

        builder.AddHttpMessageHandler(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<HttpResilienceOptions>>().Get(name);
            var registry = sp.GetRequiredService<ResiliencePipelineRegistry<string>>();
            var timeProvider = sp.GetRequiredService<TimeProvider>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("HealthAI.ServiceDefaults.Resilience");
            var pipeline = registry.GetOrAddPipeline<HttpResponseMessage>(
                $"http:{name}",
                pipelineBuilder => HttpResiliencePipelineFactory.Configure(pipelineBuilder, name, options, timeProvider, logger));
            return new ResilienceHandler(pipeline);
        });
        return builder;
    }

    /// <summary>Removes every handler added so far, the standard resilience handler included, for clients that manage their own.</summary>
    public static IHttpClientBuilder RemoveAllResilienceHandlers(this IHttpClientBuilder builder)
    {
        builder.ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
        {
            for (var i = handlers.Count - 1; i >= 0; i--)
            {
                if (handlers[i] is ResilienceHandler)
                {
                    handlers.RemoveAt(i);
                }
            }
        });
        return builder;
    }
}
