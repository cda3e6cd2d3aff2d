using System.Text.Json.Serialization;

namespace HealthAI.Tokenizer.Apis;

/// <summary><c>POST /v1/tokenize</c> body: <c>{"texts": [...], "maxLength": 512, "padding": "none|longest|bucket"}</c>.</summary>
public sealed class TokenizeRequest
{
    private int? _maxLength;

    public IReadOnlyList<string?>? Texts { get; set; }

    /// <summary>Max length counting [CLS] and [SEP]; absent means the configured MaxLength, null means no truncation.</summary>
    public int? MaxLength
    {
        get => _maxLength;
        set
        {
            _maxLength = value;
            MaxLengthSpecified = true;
        }
    }

    /// <summary>True when the body carried "maxLength" (even as null).</summary>
    [JsonIgnore]
    public bool MaxLengthSpecified { get; private set; }

    /// <summary>none (default), longest or bucket.</summary>
    public string? Padding { get; set; }
}

/// <summary><c>POST /v1/tokenize</c> answer: one row per text, in order.</summary>
public sealed record TokenizeResponse(long[][] InputIds, long[][] AttentionMask);

/// <summary><c>POST /v1/classify</c> body: <c>{"texts": [...]}</c>.</summary>
public sealed class ClassifyRequest
{
    public IReadOnlyList<string?>? Texts { get; set; }
}

/// <summary><c>POST /v1/classify</c> answer: the model used and one result per text, in order.</summary>
public sealed record ClassifyResponse(ModelReference Model, IReadOnlyList<ClassificationResult> Results);

/// <summary>The model that produced a classification.</summary>
public sealed record ModelReference(string Name, string Version);

/// <summary>The winning label and the probability of every label (softmax of the logits).</summary>
public sealed record ClassificationResult(string Label, IReadOnlyDictionary<string, double> Scores);
