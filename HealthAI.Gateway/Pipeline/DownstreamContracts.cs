using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthAI.Gateway.Pipeline;

/// <summary><c>deid</c> <c>POST /v1/deidentify</c> request.</summary>
public sealed record DeidRequest(string Text, string Mode, PatientInfo? Patient);

/// <summary><c>deid</c> answer: the de-identified text and entities with spans into the ORIGINAL text.</summary>
public sealed record DeidResponse(string? Text, IReadOnlyList<DeidEntity>? Entities);

/// <summary>One entity found by <c>deid</c>; <see cref="Start"/>/<see cref="End"/> are UTF-16 offsets into the original text.</summary>
public sealed record DeidEntity(string? Type, int Start, int End, string? Replacement);

/// <summary><c>tokenizer</c> <c>POST /v1/classify</c> request.</summary>
public sealed record ClassifyRequest(IReadOnlyList<string> Texts);

/// <summary><c>tokenizer</c> answer: one result per text, in order.</summary>
public sealed record ClassifyResponse(ModelInfo? Model, IReadOnlyList<ClassifyResult>? Results);

/// <summary>One classification.</summary>
public sealed record ClassifyResult(string? Label, IReadOnlyDictionary<string, double>? Scores);

/// <summary>
/// Serialization of the internal APIs; lenient on unknown members so services can add fields, strict on numbers: the web
/// defaults read numbers from strings, so a score of "NaN" would be accepted and then fail the answer's own serialization.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(DeidRequest))]
[JsonSerializable(typeof(DeidResponse))]
[JsonSerializable(typeof(ClassifyRequest))]
[JsonSerializable(typeof(ClassifyResponse))]
public sealed partial class DownstreamJsonContext : JsonSerializerContext;
