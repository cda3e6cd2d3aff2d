using System.ComponentModel.DataAnnotations;

namespace HealthAI.Gateway.Pipeline;

/// <summary>The analyze pipeline's limits and per-hop timeouts. Bound from <c>Gateway:Analyze</c>.</summary>
public sealed class AnalyzeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:Analyze";

    /// <summary>How long de-identification may take before the request fails closed with 504.</summary>
    public TimeSpan DeidTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long classification may take (tokenize and inference) before 504.</summary>
    public TimeSpan ClassifyTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest note, in UTF-16 characters.</summary>
    [Range(1, 1_000_000)]
    public int MaxTextLength { get; set; } = 50_000;

    /// <summary>The most notes in one batch.</summary>
    [Range(1, 64)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>How many notes of one batch run at once.</summary>
    [Range(1, 64)]
    public int MaxBatchConcurrency { get; set; } = 8;
}
