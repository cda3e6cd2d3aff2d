using HealthAI.ModelBuilder;

namespace HealthAI.OnnxRuntime.Tests;

/// <summary>The lexicon-derived weights answer the two example sentences as stated.</summary>
public sealed class SentimentTests(ModelFixture models)
{
    [Fact]
    public async Task Tiny_model_classifies_the_example_sentences()
    {
        AssertClassifies(models.TinyModelFolder);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task DistilBert_base_model_classifies_the_example_sentences()
    {
        var folder = await BundledModel.EnsureAsync(models.ScratchPath("base-repository"), ModelPreset.DistilBertBase,
            TestContext.Current.CancellationToken);

        using (var session = new InferenceSession(Path.Combine(folder, "1", "model.onnx")))
        {
            Assert.Equal(["input_ids", "attention_mask"], session.Inputs.Select(input => input.Name));
        }

        AssertClassifies(folder);
    }

    private static void AssertClassifies(string folder)
    {
        var vocabulary = new SimpleWordPiece(Path.Combine(folder, "vocab.txt"));
        var labels = File.ReadAllLines(Path.Combine(folder, "labels.txt"));
        using var session = new InferenceSession(Path.Combine(folder, "1", "model.onnx"), new SessionOptions { IntraOpNumThreads = 2 });
        var (ids, mask, sequence) = vocabulary.EncodeBatch(ExampleSentences.All);

        var logits = session.Run(
        [
            TensorInput.FromInt64("input_ids", ids, 2, sequence),
            TensorInput.FromInt64("attention_mask", mask, 2, sequence),
        ], TestContext.Current.CancellationToken)[0].GetData<float>();

        Assert.Equal("POSITIVE", labels[logits[1] > logits[0] ? 1 : 0]);
        Assert.Equal("NEGATIVE", labels[logits[3] > logits[2] ? 1 : 0]);
        // Clear margins, not a coin toss.
        Assert.True(logits[1] - logits[0] > 0.5f, $"positive margin {logits[1] - logits[0]}");
        Assert.True(logits[2] - logits[3] > 0.5f, $"negative margin {logits[2] - logits[3]}");
    }
}
