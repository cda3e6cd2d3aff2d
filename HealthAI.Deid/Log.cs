namespace HealthAI.Deid;

/// <summary>The service's log messages (event ids 2000-2099). Ids, counts, types and lengths only: never text.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, EventName = "DevelopmentSurrogateKey", Level = LogLevel.Warning,
        Message = "HealthAI:Deid:SurrogateKey is not set; using a random per-process key (Development only): surrogates change on restart")]
    public static partial void DevelopmentSurrogateKey(ILogger logger);

    [LoggerMessage(EventId = 2001, EventName = "LexiconsLoaded", Level = LogLevel.Information,
        Message = "De-identification lexicons loaded: {NameCount} names, {WordCount} words, {PlaceCount} places")]
    public static partial void LexiconsLoaded(ILogger logger, int nameCount, int wordCount, int placeCount);


    [LoggerMessage(EventId = 2002, EventName = "Deidentified", Level = LogLevel.Debug,
        Message = "De-identified {NoteCount} note(s), {Characters} characters, {EntityCount} entities, mode {Mode}")]
    public static partial void Deidentified(ILogger logger, int noteCount, int characters, int entityCount, HealthAI.Deid.Detection.Transformation.DeidMode mode);

    [LoggerMessage(EventId = 2003, EventName = "RequestRejected", Level = LogLevel.Information,
        Message = "De-identification request rejected: {Reason}, status {StatusCode}")]
    public static partial void RequestRejected(ILogger logger, string reason, int statusCode);
}
