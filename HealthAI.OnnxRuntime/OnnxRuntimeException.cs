namespace HealthAI.OnnxRuntime;

/// <summary>ORT's error codes (<c>OrtErrorCode</c> in the C API), in the same order and with the same values.</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
    ModelLoadCanceled = 12,
    ModelRequiresCompilation = 13,
    NotFound = 14,
}

/// <summary>
/// An error reported by ONNX Runtime: <see cref="ErrorCode"/> is ORT's code and <see cref="Exception.Message"/> is ORT's own
/// message, prefixed with the code's name. ORT's messages name inputs, types and shapes, never tensor contents.
/// </summary>
public class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException()
        : this(OrtErrorCode.Fail, "ONNX Runtime failed.")
    {
    }

    public OnnxRuntimeException(string message)
        : this(OrtErrorCode.Fail, message)
    {
    }

    public OnnxRuntimeException(string message, Exception innerException)
        : base(message, innerException) => ErrorCode = OrtErrorCode.Fail;

    public OnnxRuntimeException(OrtErrorCode errorCode, string message)
        : base($"[{errorCode}] {message}")
    {
        ErrorCode = errorCode;
        OrtMessage = message;
    }

    /// <summary>ORT's error code.</summary>
    public OrtErrorCode ErrorCode { get; }

    /// <summary>ORT's message exactly as it reported it.</summary>
    public string OrtMessage { get; } = string.Empty;

    /// <summary>Maps a status to the most specific exception type.</summary>
    internal static OnnxRuntimeException Create(OrtErrorCode code, string message) => code switch
    {
        OrtErrorCode.InvalidArgument => new OnnxRuntimeInvalidArgumentException(message),
        OrtErrorCode.NoSuchFile => new OnnxRuntimeModelNotFoundException(code, message),
        OrtErrorCode.NoModel => new OnnxRuntimeModelNotFoundException(code, message),
        OrtErrorCode.InvalidProtobuf => new OnnxRuntimeInvalidModelException(code, message),
        OrtErrorCode.InvalidGraph => new OnnxRuntimeInvalidModelException(code, message),
        OrtErrorCode.NotImplemented => new OnnxRuntimeInvalidModelException(code, message),
        _ => new OnnxRuntimeException(code, message),
    };
}

/// <summary>ORT rejected an argument: an unknown input or output name, a wrong element type, rank or size.</summary>
public sealed class OnnxRuntimeInvalidArgumentException : OnnxRuntimeException
{
    public OnnxRuntimeInvalidArgumentException()
    {
    }

    public OnnxRuntimeInvalidArgumentException(string message)
        : base(OrtErrorCode.InvalidArgument, message)
    {
    }

    public OnnxRuntimeInvalidArgumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The model file does not exist or holds no model.</summary>
public sealed class OnnxRuntimeModelNotFoundException : OnnxRuntimeException
{
    public OnnxRuntimeModelNotFoundException()
    {
    }

    public OnnxRuntimeModelNotFoundException(string message)
        : base(OrtErrorCode.NoSuchFile, message)
    {
    }

    public OnnxRuntimeModelNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal OnnxRuntimeModelNotFoundException(OrtErrorCode code, string message)
        : base(code, message)
    {
    }
}

/// <summary>The model file is not a valid ONNX model, or uses an operator ORT cannot run.</summary>
public sealed class OnnxRuntimeInvalidModelException : OnnxRuntimeException
{
    public OnnxRuntimeInvalidModelException()
    {
    }

    public OnnxRuntimeInvalidModelException(string message)
        : base(OrtErrorCode.InvalidProtobuf, message)
    {
    }

    public OnnxRuntimeInvalidModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal OnnxRuntimeInvalidModelException(OrtErrorCode code, string message)
        : base(code, message)
    {
    }
}
