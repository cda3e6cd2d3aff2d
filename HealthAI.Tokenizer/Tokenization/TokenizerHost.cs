using System.Diagnostics;
using HealthAI.Tokenizer.WordPiece;
using HealthAI.Tokenizer.WordPiece.Vocabulary;
using Microsoft.Extensions.Options;

namespace HealthAI.Tokenizer.Tokenization;

/// <summary>
/// Holds the tokenizer once its vocabulary is loaded. Loading runs in the background at start-up so the process answers /alive at
/// once; /health stays not ready, and the APIs answer 503, until it is done.
/// </summary>
public sealed class TokenizerHost(IOptions<TokenizerOptions> options, ILogger<TokenizerHost> logger) : IHostedService
{
    private readonly TaskCompletionSource<WordPieceTokenizer> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The tokenizer, or null while loading (or after a failed load).</summary>
    public WordPieceTokenizer? Tokenizer { get; private set; }

    /// <summary>The exception type name of a failed load, for the health check.</summary>
    public string? LoadError { get; private set; }

    /// <summary>Completes when the vocabulary is loaded.</summary>
    public Task<WordPieceTokenizer> Loaded => _loaded.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(Load, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Load()
    {
        var settings = options.Value;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var vocabulary = WordPieceVocabulary.LoadVocabTxt(
                settings.ResolveVocabPath(), settings.VocabSha256.Length == 0 ? null : settings.VocabSha256);

            // Notes are user input: "[SEP]" typed in a note is text, never a separator (see the WordPiece README).
            Tokenizer = new WordPieceTokenizer(vocabulary, SpecialTokenHandling.TreatAsText);
            Log.VocabularyLoaded(logger, vocabulary.Count, stopwatch.ElapsedMilliseconds);
            _loaded.TrySetResult(Tokenizer);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            LoadError = exception.GetType().Name;
            Log.VocabularyLoadFailed(logger, LoadError);
            _loaded.TrySetException(exception);
        }
    }
}
