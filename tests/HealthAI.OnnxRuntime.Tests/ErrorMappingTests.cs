namespace HealthAI.OnnxRuntime.Tests;

public sealed class ErrorMappingTests
{
    [Fact]
    public void Missing_model_file_is_a_typed_error_with_orts_code_and_message()
    {
        var path = Path.Combine(Path.GetTempPath(), $"healthai-missing-{Guid.NewGuid():N}.onnx");

        var error = Assert.ThrowsAny<OnnxRuntimeException>(() => new InferenceSession(path));

        Assert.Equal(OrtErrorCode.NoSuchFile, error.ErrorCode);
        Assert.IsType<OnnxRuntimeModelNotFoundException>(error);
        Assert.Contains(Path.GetFileName(path), error.OrtMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Runtime_reports_its_version()
    {
        Assert.StartsWith("1.30", OrtEnv.RuntimeVersion, StringComparison.Ordinal);
        Assert.Equal(30u, OrtEnv.ApiVersion);
    }
}
