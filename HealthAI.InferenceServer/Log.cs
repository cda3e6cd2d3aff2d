namespace HealthAI.InferenceServer;

/// <summary>
/// Inference server log events (ids 5000-5099). They carry model names, versions, counts, shapes and exception type names:
/// never tensor contents, never request bodies.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, EventName = "ModelLoaded", Level = LogLevel.Information,
        Message = "Loaded model '{Model}' version {Version} ({Backend}, {Instances} instance(s), max batch {MaxBatchSize})")]
    public static partial void ModelLoaded(ILogger logger, string model, long version, string backend, int instances, int maxBatchSize);

    [LoggerMessage(EventId = 5001, EventName = "ModelLoadFailed", Level = LogLevel.Error,
        Message = "Failed to load model '{Model}': {Reason}")]
    public static partial void ModelLoadFailed(ILogger logger, string model, string reason);

    [LoggerMessage(EventId = 5002, EventName = "ModelUnloaded", Level = LogLevel.Information,
        Message = "Unloaded model '{Model}' version {Version}")]
    public static partial void ModelUnloaded(ILogger logger, string model, long version);

    [LoggerMessage(EventId = 5003, EventName = "UnknownConfigField", Level = LogLevel.Warning,
        Message = "{File}:{Line}:{Column}: field '{Field}' is not used by this server; kept as is")]
    public static partial void UnknownConfigField(ILogger logger, string file, int line, int column, string field);

    [LoggerMessage(EventId = 5004, EventName = "RepositoryPollFailed", Level = LogLevel.Warning,
        Message = "Repository poll failed ({ExceptionType})")]
    public static partial void RepositoryPollFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 5005, EventName = "GeneratingBundledModel", Level = LogLevel.Information,
        Message = "Generating model '{Model}' ({Preset}): the repository has its config but no model file yet")]
    public static partial void GeneratingBundledModel(ILogger logger, string model, string preset);

    [LoggerMessage(EventId = 5010, EventName = "BatchExecuted", Level = LogLevel.Debug,
        Message = "Model '{Model}' version {Version} ran {Requests} request(s) as batch {BatchSize}, first input shape {Shape}")]
    public static partial void BatchExecuted(ILogger logger, string model, long version, int requests, int batchSize, string shape);

    [LoggerMessage(EventId = 5011, EventName = "ExecutionFailed", Level = LogLevel.Error,
        Message = "Model '{Model}' version {Version} failed a batch of {Requests} request(s) ({ExceptionType})")]
    public static partial void ExecutionFailed(ILogger logger, string model, long version, int requests, string exceptionType);

    [LoggerMessage(EventId = 5012, EventName = "QueueFull", Level = LogLevel.Warning,
        Message = "Model '{Model}' version {Version} rejected a request: queue holds {QueueLength}")]
    public static partial void QueueFull(ILogger logger, string model, long version, int queueLength);

    [LoggerMessage(EventId = 5020, EventName = "RequestFailed", Level = LogLevel.Information,
        Message = "{Protocol} {Path} failed with {Kind}")]
    public static partial void RequestFailed(ILogger logger, string protocol, string path, Execution.TritonErrorKind kind);

    [LoggerMessage(EventId = 5021, EventName = "UnexpectedError", Level = LogLevel.Error,
        Message = "{Protocol} {Operation} failed unexpectedly ({ExceptionType})")]
    public static partial void UnexpectedError(ILogger logger, string protocol, string operation, string exceptionType);

    [LoggerMessage(EventId = 5030, EventName = "ServerListening", Level = LogLevel.Information,
        Message = "Listening: http {Http}, grpc {Grpc}, metrics {Metrics}")]
    public static partial void ServerListening(ILogger logger, string http, string grpc, string metrics);
}
