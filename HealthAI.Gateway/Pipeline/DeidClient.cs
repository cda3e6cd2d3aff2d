using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Pipeline;

/// <summary>The <c>deid</c> service (<c>http://deid</c> through service discovery).</summary>
public sealed class DeidClient(HttpClient http, DownstreamEndpoints endpoints, IOptions<AnalyzeOptions> options, TimeProvider timeProvider)
{
    /// <summary>The logical address.</summary>
    public const string BaseAddress = "http://deid";

    private const string DeidentifyUri = BaseAddress + "/v1/deidentify";

    /// <summary>De-identifies one note; throws <see cref="DownstreamException"/> on any failure.</summary>
    public Task<DeidResponse> DeidentifyAsync(DeidRequest request, CancellationToken cancellationToken) =>
        DownstreamCaller.PostAsync(http, endpoints, "deid", DeidentifyUri, request,
            DownstreamJsonContext.Default.DeidRequest, DownstreamJsonContext.Default.DeidResponse,
            options.Value.DeidTimeout, timeProvider, cancellationToken);
}

/// <summary>The <c>tokenizer</c> service (<c>http://tokenizer</c>), which tokenizes and classifies through Triton.</summary>
public sealed class TokenizerClient(HttpClient http, DownstreamEndpoints endpoints, IOptions<AnalyzeOptions> options, TimeProvider timeProvider)
{
    /// <summary>The logical address.</summary>
    public const string BaseAddress = "http://tokenizer";

    private const string ClassifyUri = BaseAddress + "/v1/classify";

    /// <summary>Classifies de-identified texts; throws <see cref="DownstreamException"/> on any failure.</summary>
    public Task<ClassifyResponse> ClassifyAsync(ClassifyRequest request, CancellationToken cancellationToken) =>
        DownstreamCaller.PostAsync(http, endpoints, "tokenizer", ClassifyUri, request,
            DownstreamJsonContext.Default.ClassifyRequest, DownstreamJsonContext.Default.ClassifyResponse,
            options.Value.ClassifyTimeout, timeProvider, cancellationToken);
}
