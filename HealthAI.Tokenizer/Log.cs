using HealthAI.TritonClient;

namespace HealthAI.Tokenizer;

/// <summary>
/// Tokenizer service log events (ids 3000-3099). Counts, lengths, ids and exception type names only: never note text, never
/// exception messages (they can quote input).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, EventName = "VocabularyLoaded", Level = LogLevel.Information,
        Message = "Vocabulary loaded: {TokenCount} tokens in {ElapsedMs} ms")]
    public static partial void VocabularyLoaded(ILogger logger, int tokenCount, long elapsedMs);

    [LoggerMessage(EventId = 3001, EventName = "VocabularyLoadFailed", Level = LogLevel.Critical,
        Message = "Vocabulary could not be loaded ({ExceptionType}); the service stays not ready")]
    public static partial void VocabularyLoadFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 3010, EventName = "Tokenized", Level = LogLevel.Debug,
        Message = "Tokenized {TextCount} texts into {SequenceLength}-long rows ({TruncatedCount} truncated)")]
    public static partial void Tokenized(ILogger logger, int textCount, int sequenceLength, int truncatedCount);

    [LoggerMessage(EventId = 3020, EventName = "Classified", Level = LogLevel.Debug,
        Message = "Classified {TextCount} texts as {RowCount} rows in {CallCount} inference calls to {Model} over {Protocol}")]
    public static partial void Classified(ILogger logger, int textCount, int rowCount, int callCount, string model, TritonProtocol protocol);

    [LoggerMessage(EventId = 3021, EventName = "InferenceFailed", Level = LogLevel.Warning,
        Message = "Inference on {Model} failed ({ExceptionType}); answering {StatusCode}")]
    public static partial void InferenceFailed(ILogger logger, string model, string exceptionType, int statusCode);

    [LoggerMessage(EventId = 3030, EventName = "LabelsLoaded", Level = LogLevel.Information,
        Message = "{LabelCount} labels loaded from {Source}")]
    public static partial void LabelsLoaded(ILogger logger, int labelCount, string source);
}
