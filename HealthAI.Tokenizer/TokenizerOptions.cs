using System.ComponentModel.DataAnnotations;
using HealthAI.TritonClient;

namespace HealthAI.Tokenizer;

/// <summary>The tokenizer service's settings, section <c>HealthAI:Tokenizer</c>; validated at start-up.</summary>
public sealed class TokenizerOptions
{
    public const string SectionName = "HealthAI:Tokenizer";

    /// <summary>The model on <c>triton</c> that /v1/classify calls.</summary>
    [Required]
    public string ModelName { get; set; } = "distilbert-sst2";

    /// <summary>The model version; empty lets the server choose (Triton's latest-version policy).</summary>
    public string ModelVersion { get; set; } = "";

    /// <summary>How /v1/classify talks to triton: HttpBinary, HttpJson or Grpc.</summary>
    public TritonProtocol Protocol { get; set; } = TritonProtocol.HttpBinary;

    /// <summary>Most rows in one inference call (keep at or below the model's max_batch_size).</summary>
    [Range(1, 1024)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>Default and largest max length ([CLS] and [SEP] included); DistilBERT's position embeddings stop at 512.</summary>
    [Range(2, 512)]
    public int MaxLength { get; set; } = 512;

    /// <summary>vocab.txt; a relative path is resolved against the application directory, where the build puts the pinned vocab.</summary>
    [Required]
    public string VocabPath { get; set; } = "vocab/bert-base-uncased-vocab.txt";

    /// <summary>The vocab's expected sha256 (bert-base-uncased by default); empty skips the check.</summary>
    public string VocabSha256 { get; set; } = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3";

    /// <summary>Most texts in one call (413 above).</summary>
    [Range(1, 256)]
    public int MaxTexts { get; set; } = 256;

    /// <summary>Longest text in UTF-16 units (413 above).</summary>
    [Range(1, 1_000_000)]
    public int MaxTextLength { get; set; } = 100_000;

    /// <summary>
    /// Labels of the model's output classes in order, used when <see cref="LabelsPath"/> is empty; null means the DistilBERT
    /// SST-2 labels. (Null rather than a default list: the configuration binder appends to an existing array.)
    /// </summary>
    public string[]? Labels { get; set; }

    /// <summary>The labels in effect when no labels.txt is configured.</summary>
    public IReadOnlyList<string> EffectiveLabels => Labels is { Length: > 0 } labels ? labels : ["NEGATIVE", "POSITIVE"];

    /// <summary>A labels.txt (one label per line, as in the model repository); overrides <see cref="Labels"/>.</summary>
    public string LabelsPath { get; set; } = "";

    /// <summary>Opt-in sliding-window classification of notes longer than <see cref="MaxLength"/>.</summary>
    public SlidingWindowOptions SlidingWindow { get; set; } = new();

    /// <summary>The absolute vocab path.</summary>
    public string ResolveVocabPath() => Path.IsPathRooted(VocabPath) ? VocabPath : Path.Combine(AppContext.BaseDirectory, VocabPath);
}

/// <summary>Section <c>HealthAI:Tokenizer:SlidingWindow</c>.</summary>
public sealed class SlidingWindowOptions
{
    /// <summary>Off by default: long notes are truncated to MaxLength.</summary>
    public bool Enabled { get; set; }

    /// <summary>Pieces shared by consecutive windows.</summary>
    [Range(0, 500)]
    public int Stride { get; set; } = 128;

    /// <summary>Most windows per note (bounds the work one long note can cause).</summary>
    [Range(1, 64)]
    public int MaxWindows { get; set; } = 16;
}
