using HealthAI.Gateway.Pipeline;

namespace Microsoft.Extensions.Hosting;

/// <summary>The analyze pipeline: typed clients for <c>deid</c> and <c>tokenizer</c>, validation and the orchestration.</summary>
public static class AnalyzePipelineExtensions
{
    /// <summary>
    /// Registers the pipeline. Both clients address their service by name (<c>services:deid:http:0</c>,
    /// <c>services:tokenizer:http:0</c>) and get the standard resilience handler; their per-hop timeouts come from
    /// <c>Gateway:Analyze</c>.
    /// </summary>
    public static IHostApplicationBuilder AddAnalyzePipeline(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AnalyzeOptions>()
            .BindConfiguration(AnalyzeOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.DeidTimeout > TimeSpan.Zero, $"'{AnalyzeOptions.SectionName}:DeidTimeout' must be positive.")
            .Validate(o => o.ClassifyTimeout > TimeSpan.Zero, $"'{AnalyzeOptions.SectionName}:ClassifyTimeout' must be positive.")
            .ValidateOnStart();

        // The hop timeouts bound each call; HttpClient's own 100 s default would only blur which one fired.
        builder.Services.AddHttpClient<DeidClient>(c => { c.BaseAddress = new Uri(DeidClient.BaseAddress); c.Timeout = Timeout.InfiniteTimeSpan; });
        builder.Services.AddHttpClient<TokenizerClient>(c => { c.BaseAddress = new Uri(TokenizerClient.BaseAddress); c.Timeout = Timeout.InfiniteTimeSpan; });
        builder.Services.AddSingleton<DownstreamEndpoints>();
        builder.Services.AddSingleton<AnalyzeRequestReader>();
        builder.Services.AddTransient<AnalyzePipeline>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));
        return builder;
    }
}
