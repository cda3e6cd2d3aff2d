using System.Security.Cryptography;
using HealthAI.Deid.Apis;
using HealthAI.Deid.Detection;
using HealthAI.Deid.Detection.Lexicons;
using HealthAI.Deid.Detection.Transformation;
using Microsoft.Extensions.Options;

namespace HealthAI.Deid.Extensions;

/// <summary>DI wiring of the de-identification service.</summary>
public static class DeidServiceExtensions
{
    public static TBuilder AddDeidServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<DeidOptions>().BindConfiguration(DeidOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DeidOptions>, DeidOptionsValidator>();
        builder.Services.AddSingleton(sp =>
        {
            var lexicons = DeidLexicons.Load();
            var logger = sp.GetRequiredService<ILogger<PhiDetector>>();
            if (logger.IsEnabled(LogLevel.Information))
            {
                Log.LexiconsLoaded(logger, lexicons.Names.Count, lexicons.CommonWords.Count, lexicons.Places.Count);
            }
            return new PhiDetector(lexicons);
        });
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DeidOptions>>().Value;
            if (options.SurrogateKey is { Length: > 0 } configured && DeidOptionsValidator.TryDecodeKey(configured, out var key))
            {
                return new SurrogateGenerator(key);
            }

            // Only reachable in Development (the validator fails start-up elsewhere).
            Log.DevelopmentSurrogateKey(sp.GetRequiredService<ILogger<SurrogateGenerator>>());
            return new SurrogateGenerator(RandomNumberGenerator.GetBytes(SurrogateGenerator.MinimumKeyBytes));
        });
        builder.Services.AddSingleton<PhiTransformer>();
        builder.Services.AddSingleton<DeidEngine>();
        builder.Services.AddSingleton<DeidServices>();
        return builder;
    }

    /// <summary>Builds the detector and the surrogate key at start-up, so a missing lexicon or key fails the start, not a request.</summary>
    public static WebApplication WarmUpDeid(this WebApplication app)
    {
        app.Services.GetRequiredService<DeidEngine>();
        return app;
    }
}
