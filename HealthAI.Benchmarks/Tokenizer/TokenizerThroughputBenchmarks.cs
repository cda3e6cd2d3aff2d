using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using HealthAI.Tokenizer.WordPiece;
using HealthAI.Tokenizer.WordPiece.Vocabulary;

namespace HealthAI.Benchmarks.Tokenizer;

/// <summary>
/// Tokens/s of HealthAI.Tokenizer.WordPiece against HuggingFace tokenizers (Rust via Node, RAYON_NUM_THREADS=1 and all cores) on the
/// same synthetic clinical corpus, measured in the same run; the ratio columns compare like with like (one thread with one thread,
/// both cores with both). MemoryDiagnoser shows the per-encode allocations (none after warm-up).
/// Run: dotnet run -c Release --project HealthAI.Benchmarks -- --filter '*TokenizerThroughput*' --job short --inProcess
/// (needs `npm pack tokenizers@0.23.2 &amp;&amp; npm ci` in tools/tokenizer-conformance for the peer).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class TokenizerThroughputBenchmarks
{
    private const double PeerSeconds = 5;

    private string[] _corpus = [];
    private WordPieceTokenizer _tokenizer = null!;
    private int[] _buffer = [];

    /// <summary>Total ids of one pass over the corpus ([CLS] and [SEP] included, as the peer counts them).</summary>
    public static int CorpusTokens { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _corpus = ClinicalCorpus.Build();
        var vocabPath = Path.Combine(AppContext.BaseDirectory, "vocab", "bert-base-uncased-vocab.txt");
        _tokenizer = new WordPieceTokenizer(WordPieceVocabulary.LoadVocabTxt(vocabPath));
        _buffer = new int[512];
        CorpusTokens = EncodeCorpusSingleThread();
    }

    [GlobalSetup(Target = nameof(EncodeCorpusSingleThread))]
    public void SetupWithSingleThreadPeer()
    {
        Setup();
        HuggingFacePeer.Measure(_corpus, "1", PeerSeconds);
    }

    [GlobalSetup(Target = nameof(EncodeCorpusBothCores))]
    public void SetupWithAllThreadsPeer()
    {
        Setup();
        HuggingFacePeer.Measure(_corpus, "all", PeerSeconds);
    }

    /// <summary>One pass over the corpus on one thread, each text encoded into the same caller buffer.</summary>
    [Benchmark(Baseline = true)]
    public int EncodeCorpusSingleThread()
    {
        var tokens = 0;
        var buffer = _buffer.AsSpan();
        foreach (var text in _corpus)
        {
            tokens += _tokenizer.Encode(text, buffer);
        }

        return tokens;
    }

    /// <summary>One pass over the corpus split across every core, one buffer per worker.</summary>
    [Benchmark]
    public int EncodeCorpusBothCores()
    {
        var workers = Environment.ProcessorCount;
        var totals = new int[workers];
        Parallel.For(0, workers, w =>
        {
            Span<int> buffer = stackalloc int[512];
            var tokens = 0;
            for (var i = w; i < _corpus.Length; i += workers)
            {
                tokens += _tokenizer.Encode(_corpus[i], buffer);
            }

            totals[w] = tokens;
        });
        return totals.Sum();
    }

    /// <summary>One encode of one note: the per-call allocation figure (0 B).</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public int EncodeOneNote() => _tokenizer.Encode(_corpus[7], _buffer.AsSpan());

    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(new TokensPerSecondColumn(), new PeerColumn(), new RatioToPeerColumn());
        }
    }

    private static string? PeerThreads(BenchmarkCase benchmark) => benchmark.Descriptor.WorkloadMethod.Name switch
    {
        nameof(EncodeCorpusSingleThread) => "1",
        nameof(EncodeCorpusBothCores) => "all",
        _ => null,
    };

    private static double? TokensPerSecond(Summary summary, BenchmarkCase benchmark)
    {
        var mean = summary[benchmark]?.ResultStatistics?.Mean;
        var tokens = CorpusTokensForColumns.Value;
        return mean is > 0 && PeerThreads(benchmark) is not null ? tokens / (mean.Value / 1e9) : null;
    }

    // The host process does not run GlobalSetup: count the corpus tokens once here for the columns.
    private static readonly Lazy<int> CorpusTokensForColumns = new(() =>
    {
        var benchmarks = new TokenizerThroughputBenchmarks();
        benchmarks.Setup();
        return CorpusTokens;
    });

    private abstract class TokenizerColumn(string name) : IColumn
    {
        public string Id => nameof(TokenizerThroughputBenchmarks) + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => name;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public abstract string GetValue(Summary summary, BenchmarkCase benchmarkCase);
    }

    private sealed class TokensPerSecondColumn() : TokenizerColumn("Tokens/s")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            TokensPerSecond(summary, benchmarkCase) is { } rate ? $"{rate / 1e6:F2} M" : "-";
    }

    private sealed class PeerColumn() : TokenizerColumn("HF tokens/s")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            // Only beside a measured row: a peer file left by an earlier run must not pass for this run's figure.
            PeerThreads(benchmarkCase) is { } threads && TokensPerSecond(summary, benchmarkCase) is not null
                && HuggingFacePeer.TokensPerSecond(threads) is { } peer
                ? $"{peer / 1e6:F2} M ({(threads == "1" ? "1 thread" : "all cores")})"
                : "-";
    }

    private sealed class RatioToPeerColumn() : TokenizerColumn("vs HF")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            PeerThreads(benchmarkCase) is { } threads && HuggingFacePeer.TokensPerSecond(threads) is { } peer
                && TokensPerSecond(summary, benchmarkCase) is { } ours
                ? $"{ours / peer:F2}x"
                : "-";
    }
}
