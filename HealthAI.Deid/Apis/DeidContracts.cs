using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthAI.Deid.Apis;

/// <summary>What the caller knows about the patient: always found in the text, with variants.</summary>
public sealed record PatientInfo(string? Name, string? Mrn, string? BirthDate);

/// <summary><c>POST /v1/deidentify</c> request.</summary>
public sealed record DeidentifyRequest(string? Text, string? Mode, PatientInfo? Patient);

/// <summary>One replaced entity; offsets are UTF-16 into the original text, end exclusive.</summary>
public sealed record EntityDto(string Type, int Start, int End, string Replacement);

/// <summary><c>POST /v1/deidentify</c> response.</summary>
public sealed record DeidentifyResponse(string Text, IReadOnlyList<EntityDto> Entities);

/// <summary><c>POST /v1/deidentify-batch</c> request.</summary>
public sealed record DeidentifyBatchRequest(IReadOnlyList<DeidentifyRequest?>? Items);

/// <summary><c>POST /v1/deidentify-batch</c> response: one result per item, in order.</summary>
public sealed record DeidentifyBatchResponse(IReadOnlyList<DeidentifyResponse> Results);

[JsonSerializable(typeof(DeidentifyRequest))]
[JsonSerializable(typeof(DeidentifyResponse))]
[JsonSerializable(typeof(DeidentifyBatchRequest))]
[JsonSerializable(typeof(DeidentifyBatchResponse))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class DeidJsonContext : JsonSerializerContext;
