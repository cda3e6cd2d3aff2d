using HealthAI.Tokenizer;
using HealthAI.Tokenizer.Classification;
using HealthAI.Tokenizer.Extensions;
using HealthAI.Tokenizer.Tokenization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>DI wiring of the tokenizer service.</summary>
public static class TokenizerServiceExtensions
{
    /// <summary>The service-discovery name of the inference server (DESIGN.md).</summary>
    public const string TritonConnectionName = "triton";

    /// <summary>
    /// Validated options, the background vocabulary load and its readiness check, the labels, the classifier and the Triton client
    /// whose readiness check (<c>triton_triton</c>) requires the configured model to be ready.
    /// </summary>
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

        // The model, version and protocol come from HealthAI:Tokenizer so one section configures the service; the rest of the
        // client's settings (timeouts, endpoints) stay under HealthAI:Triton.
        var tokenizer = builder.Configuration.GetSection(TokenizerOptions.SectionName).Get<TokenizerOptions>() ?? new TokenizerOptions();
        builder.AddTritonClient(TritonConnectionName, settings =>
        {
            settings.ModelName = tokenizer.ModelName;
            settings.ModelVersion = tokenizer.ModelVersion.Length == 0 ? null : tokenizer.ModelVersion;
            settings.Protocol = tokenizer.Protocol;
        });
        builder.Services.AddSingleton<ModelLabels>();
        builder.Services.AddSingleton<TextClassifier>();
        return builder;
    }
}
