using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthAI.Gateway.Pipeline;

/// <summary>One note to analyze (<c>POST /v1/notes/analyze</c> as JSON; a text/plain body is the note with defaults).</summary>
/// <param name="Text">The note. Required.</param>
/// <param name="Patient">Known identifiers of the patient, so de-identification finds them even where no pattern would.</param>
/// <param name="Deid">De-identification settings.</param>
/// <param name="ReturnText">Return the de-identified text and entity spans (default true).</param>
public sealed record AnalyzeRequest(string? Text, PatientInfo? Patient = null, DeidSettings? Deid = null, bool? ReturnText = null);

/// <summary>Known patient identifiers.</summary>
public sealed record PatientInfo(string? Name = null, string? Mrn = null, string? BirthDate = null);

/// <summary>How PHI is replaced: <c>placeholder</c> (default), <c>redact</c>, <c>mask</c> or <c>surrogate</c>.</summary>
public sealed record DeidSettings(string? Mode = null);

/// <summary>Up to 64 notes in one call (<c>POST /v1/notes/analyze-batch</c>).</summary>
public sealed record AnalyzeBatchRequest(IReadOnlyList<AnalyzeRequest>? Notes);

/// <summary>The analysis of one note.</summary>
/// <param name="RequestId">The trace id of the request.</param>
/// <param name="Model">The model that classified the note.</param>
/// <param name="Label">The winning label.</param>
/// <param name="Scores">Probability per label.</param>
/// <param name="Deidentified">The de-identified text and where each replacement sits in it (omitted when returnText is false).</param>
/// <param name="TimingsMs">Where the time went, in milliseconds.</param>
public sealed record AnalyzeResponse(
    string RequestId,
    ModelInfo Model,
    string Label,
    IReadOnlyDictionary<string, double> Scores,
    DeidentifiedNote? Deidentified,
    AnalyzeTimings TimingsMs);

/// <summary>Name and version of a model.</summary>
public sealed record ModelInfo(string? Name, string? Version);

/// <summary>The de-identified note.</summary>
/// <param name="Text">The text with PHI replaced.</param>
/// <param name="Entities">Each replacement: its type and UTF-16 span in <paramref name="Text"/> (end exclusive).</param>
public sealed record DeidentifiedNote(string Text, IReadOnlyList<EntitySpan> Entities);

/// <summary>One replaced entity.</summary>
public sealed record EntitySpan(string Type, int Start, int End);

/// <summary>Per-hop and total time inside the gateway for one note.</summary>
public sealed record AnalyzeTimings(double Deid, double Classify, double Total);

/// <summary>The answer to a batch: one item per note, in request order.</summary>
public sealed record AnalyzeBatchResponse(string RequestId, IReadOnlyList<AnalyzeBatchItem> Results);

/// <summary>One batch item: a result or the error that stopped this note (other notes are unaffected).</summary>
public sealed record AnalyzeBatchItem(int Index, AnalyzeResponse? Result, AnalyzeItemError? Error);

/// <summary>Why one note of a batch failed.</summary>
public sealed record AnalyzeItemError(int Status, string Title);

/// <summary>
/// Serialization of the public API, source-generated. Requests reject unknown members so a misspelt field is reported by name
/// instead of silently ignored.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(AnalyzeRequest))]
[JsonSerializable(typeof(AnalyzeBatchRequest))]
[JsonSerializable(typeof(AnalyzeResponse))]
[JsonSerializable(typeof(AnalyzeBatchResponse))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
