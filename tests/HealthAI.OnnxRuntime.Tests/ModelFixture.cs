using HealthAI.ModelBuilder;
using HealthAI.ModelBuilder.Onnx;
using Google.Protobuf;

[assembly: AssemblyFixture(typeof(HealthAI.OnnxRuntime.Tests.ModelFixture))]

namespace HealthAI.OnnxRuntime.Tests;

/// <summary>A throw-away model repository with the tiny bundled model, generated once for the whole test run.</summary>
public sealed class ModelFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"healthai-onnx-tests-{Guid.NewGuid():N}");

    public string TinyModelFolder { get; private set; } = string.Empty;

    public string TinyModelPath => Path.Combine(TinyModelFolder, BundledModel.Version, BundledModel.ModelFileName);

    public async ValueTask InitializeAsync() =>
        TinyModelFolder = await BundledModel.EnsureAsync(Root, ModelPreset.Tiny, TestContext.Current.CancellationToken);

    /// <summary>Writes a model into this run's scratch folder and returns its path.</summary>
    internal string Write(ModelProto model, string name)
    {
        var path = Path.Combine(Root, "scratch", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    public string ScratchPath(string name)
    {
        var path = Path.Combine(Root, "scratch", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
