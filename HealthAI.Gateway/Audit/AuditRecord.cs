using System.Text.Json.Serialization;

namespace HealthAI.Gateway.Audit;

/// <summary>
/// One audit line. Identifiers, counts, types and timings only: no note text, no patient field, no query string.
/// <see cref="Sequence"/> and <see cref="PreviousHash"/> chain the lines; the line's own hash is appended when written.
/// </summary>
public sealed class AuditRecord
{
    [JsonPropertyName("seq")] public long Sequence { get; set; }
    [JsonPropertyName("time")] public DateTimeOffset Time { get; set; }
    [JsonPropertyName("requestId")] public string RequestId { get; set; } = "";
    [JsonPropertyName("subject")] public string? Subject { get; set; }
    [JsonPropertyName("method")] public string Method { get; set; } = "";
    [JsonPropertyName("route")] public string Route { get; set; } = "";
    [JsonPropertyName("scopes")] public IReadOnlyList<string> Scopes { get; set; } = [];
    [JsonPropertyName("outcome")] public string Outcome { get; set; } = "";
    [JsonPropertyName("status")] public int Status { get; set; }
    [JsonPropertyName("latencyMs")] public double LatencyMs { get; set; }
    [JsonPropertyName("entities")] public IReadOnlyDictionary<string, int>? Entities { get; set; }
    [JsonPropertyName("prev")] public string PreviousHash { get; set; } = "";
}

/// <summary>
/// The serializer's form of an audit line (stable member order, nulls left out). Lines are written by
/// <see cref="AuditRecordWriter"/>, which tests and the audit benchmark hold to this form byte for byte.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditRecord))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
