using HealthAI.Tokenizer;
using HealthAI.Tokenizer.Extensions;
using HealthAI.Tokenizer.Tokenization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>DI wiring of the tokenizer service.</summary>
public static class TokenizerServiceExtensions
{
    /// <summary>Validated options, the background vocabulary load and its readiness check.</summary>
    public static IHostApplicationBuilder AddTokenizerServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TokenizerOptions>()
            .BindConfiguration(TokenizerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenizerOptions>, TokenizerOptionsValidator>());

        builder.Services.AddSingleton<TokenizerHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TokenizerHost>());
        builder.Services.AddHealthChecks().AddCheck<TokenizerReadyHealthCheck>("tokenizer-vocabulary");
        return builder;
    }
}
