using System.Security.Cryptography;
using HealthAI.ModelBuilder;

namespace HealthAI.OnnxRuntime.Tests;

public sealed class BundledModelTests(ModelFixture models)
{
    [Fact]
    public void Repository_folder_has_every_file_and_the_committed_config()
    {
        var folder = models.TinyModelFolder;
        Assert.True(File.Exists(Path.Combine(folder, "1", "model.onnx")));
        Assert.Equal(["NEGATIVE", "POSITIVE"], File.ReadAllLines(Path.Combine(folder, "labels.txt")));
        Assert.Equal(30522, File.ReadAllLines(Path.Combine(folder, "vocab.txt")).Length);
        var config = File.ReadAllText(Path.Combine(folder, "config.pbtxt"));
        Assert.Contains("platform: \"onnxruntime_onnx\"", config, StringComparison.Ordinal);
        Assert.Contains("kind: KIND_CPU", config, StringComparison.Ordinal);

        var committed = Path.Combine(RepositoryRoot(), "models", "distilbert-sst2", "config.pbtxt");
        Assert.Equal(File.ReadAllText(committed), config);
    }

    [Fact]
    public void Tiny_model_exposes_the_contract_names_types_and_symbolic_shapes()
    {
        using var session = new InferenceSession(models.TinyModelPath);

        Assert.Collection(session.Inputs,
            input => AssertNode(input, "input_ids", TensorElementType.Int64, [-1, -1], ["batch", "sequence"]),
            input => AssertNode(input, "attention_mask", TensorElementType.Int64, [-1, -1], ["batch", "sequence"]));
        Assert.Collection(session.Outputs,
            output => AssertNode(output, "logits", TensorElementType.Float, [-1, 2], ["batch", ""]));
    }

    [Fact]
    public async Task Generation_is_deterministic_byte_for_byte()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = models.ScratchPath("determinism/a.onnx");
        var second = models.ScratchPath("determinism/b.onnx");

        Assert.Equal(0, await ModelBuildCommand.RunAsync(["--preset", "tiny", "--output", first], TextWriter.Null, ct));
        Assert.Equal(0, await ModelBuildCommand.RunAsync(["--preset", "tiny", "--output", second], TextWriter.Null, ct));

        var a = await File.ReadAllBytesAsync(first, ct);
        Assert.True(a.Length > 1_000_000);
        Assert.Equal(SHA256.HashData(a), SHA256.HashData(await File.ReadAllBytesAsync(second, ct)));
        Assert.Equal(SHA256.HashData(a), SHA256.HashData(await File.ReadAllBytesAsync(models.TinyModelPath, ct)));
    }

    [Fact]
    public async Task A_model_put_there_by_hand_is_kept_and_a_generated_one_follows_the_preset()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = models.ScratchPath("repository-own");
        var modelPath = Path.Combine(root, "distilbert-sst2", "1", "model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
        await File.WriteAllTextAsync(modelPath, "a real export would be here", ct);

        await BundledModel.EnsureAsync(root, ModelPreset.Tiny, ct);
        Assert.Equal("a real export would be here", await File.ReadAllTextAsync(modelPath, ct));

        var generatedRoot = models.ScratchPath("repository-generated");
        var folder = await BundledModel.EnsureAsync(generatedRoot, ModelPreset.Tiny, ct);
        var generated = Path.Combine(folder, "1", "model.onnx");
        var tinyHash = SHA256.HashData(await File.ReadAllBytesAsync(generated, ct));
        File.WriteAllText(generated + ".healthai-generated", "preset=distilbert-base\nrevision=1\n");

        await BundledModel.EnsureAsync(generatedRoot, ModelPreset.Tiny, ct);
        Assert.Equal(tinyHash, SHA256.HashData(await File.ReadAllBytesAsync(generated, ct)));
        Assert.Equal("preset=tiny\nrevision=1\n", await File.ReadAllTextAsync(generated + ".healthai-generated", ct));
    }

    [Theory]
    [InlineData(new string[0], 2)]
    [InlineData(new[] { "--preset", "huge", "--output", "x.onnx" }, 2)]
    [InlineData(new[] { "--preset", "tiny" }, 2)]
    [InlineData(new[] { "--output", "a.onnx", "--repository", "r" }, 2)]
    [InlineData(new[] { "--output" }, 2)]
    [InlineData(new[] { "--bogus", "1" }, 2)]
    [InlineData(new[] { "--help" }, 0)]
    public async Task Build_command_rejects_bad_arguments_with_usage(string[] args, int exitCode)
    {
        using var output = new StringWriter();

        Assert.Equal(exitCode, await ModelBuildCommand.RunAsync(args, output, TestContext.Current.CancellationToken));
        Assert.Contains("usage: build-model", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_command_lays_out_a_repository()
    {
        var root = models.ScratchPath("repository-command");
        using var output = new StringWriter();

        var exitCode = await ModelBuildCommand.RunAsync(
            ["build-model", "--preset", "tiny", "--repository", root], output, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.True(File.Exists(Path.Combine(root, "distilbert-sst2", "1", "model.onnx")));
        Assert.Contains("sha256", output.ToString(), StringComparison.Ordinal);
    }

    private static void AssertNode(NodeMetadata node, string name, TensorElementType type, long[] shape, string[] symbolic)
    {
        Assert.Equal(name, node.Name);
        Assert.True(node.IsTensor);
        Assert.Equal(type, node.ElementType);
        Assert.Equal(shape, node.Shape);
        Assert.Equal(symbolic, node.SymbolicDimensions);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HealthAI.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("HealthAI.sln not found above the test binaries.");
    }
}
