using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthAI.InferenceServer.Http;

public sealed record ErrorBody([property: JsonPropertyName("error")] string Error);

public sealed record ServerMetadataBody(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("extensions")] string[] Extensions);

public sealed record TensorMetadataBody(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("shape")] long[] Shape);

public sealed record ModelMetadataBody(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("versions")] string[] Versions,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("inputs")] TensorMetadataBody[] Inputs,
    [property: JsonPropertyName("outputs")] TensorMetadataBody[] Outputs);

public sealed record RepositoryIndexEntryBody(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Version,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("reason")] string Reason);

public sealed record DurationBody([property: JsonPropertyName("count")] long Count, [property: JsonPropertyName("ns")] long Ns);

public sealed record InferStatsBody(
    [property: JsonPropertyName("success")] DurationBody Success,
    [property: JsonPropertyName("fail")] DurationBody Fail,
    [property: JsonPropertyName("queue")] DurationBody Queue,
    [property: JsonPropertyName("compute_input")] DurationBody ComputeInput,
    [property: JsonPropertyName("compute_infer")] DurationBody ComputeInfer,
    [property: JsonPropertyName("compute_output")] DurationBody ComputeOutput,
    [property: JsonPropertyName("cache_hit")] DurationBody CacheHit,
    [property: JsonPropertyName("cache_miss")] DurationBody CacheMiss);

public sealed record BatchStatsBody(
    [property: JsonPropertyName("batch_size")] long BatchSize,
    [property: JsonPropertyName("compute_input")] DurationBody ComputeInput,
    [property: JsonPropertyName("compute_infer")] DurationBody ComputeInfer,
    [property: JsonPropertyName("compute_output")] DurationBody ComputeOutput);

public sealed record ModelStatsBody(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("last_inference")] long LastInference,
    [property: JsonPropertyName("inference_count")] long InferenceCount,
    [property: JsonPropertyName("execution_count")] long ExecutionCount,
    [property: JsonPropertyName("inference_stats")] InferStatsBody InferenceStats,
    [property: JsonPropertyName("batch_stats")] BatchStatsBody[] BatchStats);

public sealed record StatisticsBody([property: JsonPropertyName("model_stats")] ModelStatsBody[] ModelStats);

/// <summary>Source-generated JSON for the Triton response bodies.</summary>
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(ServerMetadataBody))]
[JsonSerializable(typeof(ModelMetadataBody))]
[JsonSerializable(typeof(RepositoryIndexEntryBody[]))]
[JsonSerializable(typeof(StatisticsBody))]
public sealed partial class TritonJsonContext : JsonSerializerContext
{
    /// <summary>Writer settings for hand-written bodies: quotes and apostrophes stay readable, as in Triton's messages.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The context with Triton-like escaping; use its type infos for every response body.</summary>
    public static TritonJsonContext Relaxed { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
