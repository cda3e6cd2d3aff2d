namespace HealthAI.OnnxRuntime.Tests;

/// <summary>ORT's failures arrive as typed exceptions carrying ORT's own code and message.</summary>
public sealed class ErrorMappingTests(ModelFixture models)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
    public void A_file_that_is_not_a_model_is_an_invalid_model_error()
    {
        var path = models.ScratchPath("not-a-model.onnx");
        File.WriteAllText(path, "this is not protobuf \u0001\u0002\u0003 at all");

        var error = Assert.ThrowsAny<OnnxRuntimeException>(() => new InferenceSession(path));

        Assert.IsType<OnnxRuntimeInvalidModelException>(error);
        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(error.OrtMessage));
    }

    [Fact]
    public void Runtime_reports_its_version()
    {
        Assert.StartsWith("1.30", OrtEnv.RuntimeVersion, StringComparison.Ordinal);
        Assert.Equal(30u, OrtEnv.ApiVersion);
    }

    [Fact]
    public void Unknown_input_name_is_an_invalid_argument_naming_it()
    {
        using var session = new InferenceSession(models.TinyModelPath);
        long[] ids = [101, 102];

        var error = Assert.Throws<OnnxRuntimeInvalidArgumentException>(() => session.Run(
        [
            TensorInput.FromInt64("input_idz", ids, 1, 2),
            TensorInput.FromInt64("attention_mask", ids, 1, 2),
        ], Ct));

        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("input_idz", error.OrtMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_element_type_is_an_invalid_argument()
    {
        using var session = new InferenceSession(models.TinyModelPath);

        var error = Assert.Throws<OnnxRuntimeInvalidArgumentException>(() => session.Run(
        [
            TensorInput.FromFloat("input_ids", new float[] { 101, 102 }, 1, 2),
            TensorInput.FromInt64("attention_mask", new long[] { 1, 1 }, 1, 2),
        ], Ct));

        Assert.Contains("tensor(float)", error.OrtMessage, StringComparison.Ordinal);
        Assert.Contains("tensor(int64)", error.OrtMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_rank_is_an_invalid_argument()
    {
        using var session = new InferenceSession(models.TinyModelPath);

        var error = Assert.Throws<OnnxRuntimeInvalidArgumentException>(() => session.Run(
        [
            TensorInput.FromInt64("input_ids", new long[] { 101, 102 }, 2),
            TensorInput.FromInt64("attention_mask", new long[] { 1, 1 }, 2),
        ], Ct));

        Assert.Contains("rank", error.OrtMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Buffer_smaller_than_its_shape_is_rejected_before_orts_reads_it()
    {
        using var session = new InferenceSession(models.TinyModelPath);

        var error = Assert.Throws<OnnxRuntimeInvalidArgumentException>(() => session.Run(
        [
            TensorInput.FromInt64("input_ids", new long[] { 101, 102 }, 2, 8),
            TensorInput.FromInt64("attention_mask", new long[] { 1, 1 }, 2, 8),
        ], Ct));

        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
    }

    [Fact]
    public void Missing_input_and_unknown_output_carry_orts_codes()
    {
        using var session = new InferenceSession(models.TinyModelPath);
        long[] ids = [101, 102];

        var missing = Assert.ThrowsAny<OnnxRuntimeException>(() => session.Run([TensorInput.FromInt64("input_ids", ids, 1, 2)], Ct));
        Assert.Contains("attention_mask", missing.OrtMessage, StringComparison.Ordinal);
        // ORT 1.30 reports a missing input as FAIL, not INVALID_ARGUMENT; the binding passes ORT's code through unchanged.
        Assert.Equal(OrtErrorCode.Fail, missing.ErrorCode);

        var unknownOutput = Assert.Throws<OnnxRuntimeInvalidArgumentException>(() => session.Run(
            [TensorInput.FromInt64("input_ids", ids, 1, 2), TensorInput.FromInt64("attention_mask", new long[] { 1, 1 }, 1, 2)],
            ["probabilities"], Ct));
        Assert.Contains("probabilities", unknownOutput.OrtMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_an_output_as_the_wrong_type_is_refused()
    {
        using var session = new InferenceSession(models.TinyModelPath);
        var output = session.Run([TensorInput.FromInt64("input_ids", new long[] { 101, 102 }, 1, 2),
            TensorInput.FromInt64("attention_mask", new long[] { 1, 1 }, 1, 2)], ["logits"], Ct)[0];

        Assert.Equal("logits", output.Name);
        Assert.Equal(2, output.GetData<float>().Length);
        Assert.Throws<InvalidOperationException>(() => output.GetData<long>().Length);
    }

    [Fact]
    public void Canceled_token_and_disposed_session_fail_fast()
    {
        var session = new InferenceSession(models.TinyModelPath);
        TensorInput[] inputs = [TensorInput.FromInt64("input_ids", new long[] { 101, 102 }, 1, 2),
            TensorInput.FromInt64("attention_mask", new long[] { 1, 1 }, 1, 2)];

        Assert.Throws<OperationCanceledException>(() => session.Run(inputs, new CancellationToken(canceled: true)));
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(() => session.Run(inputs, Ct));
    }

    [Fact]
    public void Cancellation_during_a_run_terminates_it_through_orts_run_options()
    {
        using var session = new InferenceSession(models.TinyModelPath);
        using var cancellation = new CancellationTokenSource();
        session.BeforeNativeRun = cancellation.Cancel; // the token fires while the run is being handed to ORT
        TensorInput[] inputs = [TensorInput.FromInt64("input_ids", new long[] { 101, 102 }, 1, 2),
            TensorInput.FromInt64("attention_mask", new long[] { 1, 1 }, 1, 2)];

        var canceled = Assert.Throws<OperationCanceledException>(() => session.Run(inputs, cancellation.Token));

        // ORT itself stopped the run (terminate flag), and said so.
        var ortError = Assert.IsAssignableFrom<OnnxRuntimeException>(canceled.InnerException);
        Assert.Contains("terminate", ortError.OrtMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(cancellation.Token, canceled.CancellationToken);

        session.BeforeNativeRun = null;
        Assert.Equal(2, session.Run(inputs, Ct)[0].ElementCount);
    }

    [Fact]
    public void Bad_session_options_are_rejected_before_orts_sees_them()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new InferenceSession(models.TinyModelPath, new SessionOptions { IntraOpNumThreads = -1 }));

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new InferenceSession(models.TinyModelPath, new SessionOptions { GraphOptimizationLevel = (GraphOptimizationLevel)5 }));
    }
}
