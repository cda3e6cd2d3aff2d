using HealthAI.Benchmarks.Load.Targets;

namespace HealthAI.Benchmarks.Load.Cli;

/// <summary>Where the services under test answer. Null means "not given"; the scenarios that need it are skipped, saying why.</summary>
public sealed record TargetUrls(
    Uri? Triton = null,
    Uri? TritonGrpc = null,
    Uri? TritonBatching = null,
    Uri? TritonBatchingGrpc = null,
    Uri? Gateway = null,
    Uri? GatewayBatching = null,
    Uri? Deid = null,
    Uri? Tokenizer = null);

/// <summary>How the gateway scenarios authenticate: a ready token, or HS256 key material to mint one.</summary>
public sealed record TokenSettings(string? Token, string? SigningKeyBase64, string Issuer, string Audience);

/// <summary>Everything a <c>load</c> or <c>soak</c> command was asked to do, after parsing and validation.</summary>
public sealed record LoadSettings
{
    public required IReadOnlyList<string> Scenarios { get; init; }

    public required IReadOnlyList<int> Users { get; init; }

    public required IReadOnlyList<TransportProtocol> Protocols { get; init; }

    public required LoadPhase Phase { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public required TargetUrls Urls { get; init; }

    public required TokenSettings Token { get; init; }

    /// <summary>Distinct client identities (bearer tokens) the gateway scenarios spread their users over, round-robin.</summary>
    public int Clients { get; init; } = 1;

    public bool StartSystem { get; init; }

    /// <summary>A Triton model repository root; generated with <see cref="ModelPreset"/> when null and a scenario needs one.</summary>
    public string? ModelRepository { get; init; }

    public HealthAI.ModelBuilder.ModelPreset ModelPreset { get; init; } = HealthAI.ModelBuilder.ModelPreset.DistilBertBase;

    /// <summary>Longest token sequence sent to the model (its position embeddings' size): 512 for DistilBERT, 128 for the tiny preset.</summary>
    public int MaxSequenceLength { get; init; } = 512;

    /// <summary>Set when this run generated the model repository: the preset's name, for the report.</summary>
    public string? GeneratedModelPreset { get; init; }

    public string BuildConfiguration { get; init; } = "Release";

    public string? RepositoryRoot { get; init; }

    public required string OutputDirectory { get; init; }

    public int CorpusSize { get; init; } = 512;

    public int Seed { get; init; } = 20241121;

    public bool PlainOutput { get; init; }

    /// <summary>Process ids whose RSS the soak watches when it did not start the processes itself.</summary>
    public IReadOnlyList<int> WatchPids { get; init; } = [];

    /// <summary>The soak's allowed RSS growth after warm-up (0.10 = 10%).</summary>
    public double MaxMemoryGrowth { get; init; } = 0.10;
}
