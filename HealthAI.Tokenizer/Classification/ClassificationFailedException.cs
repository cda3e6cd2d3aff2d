namespace HealthAI.Tokenizer.Classification;

/// <summary>Inference failed or answered something unusable; carries the HTTP status to answer (502, 503 or 504), no text.</summary>
public sealed class ClassificationFailedException : Exception
{
    public ClassificationFailedException()
    {
    }

    public ClassificationFailedException(string message)
        : base(message)
    {
    }

    public ClassificationFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ClassificationFailedException(int statusCode, string message, Exception? innerException = null)
        : base(message, innerException) => StatusCode = statusCode;

    /// <summary>The status the endpoint answers with.</summary>
    public int StatusCode { get; } = StatusCodes.Status502BadGateway;
}
