using HealthAI.ModelBuilder;
using HealthAI.ModelBuilder.DistilBert;

namespace HealthAI.OnnxRuntime.Tests;

/// <summary>ORT running the generated graph agrees with an independent float64 forward pass of the same weights.</summary>
public sealed class NumericalAgreementTests(ModelFixture models)
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Erf_reference_matches_known_values()
    {
        Assert.Equal(0.8427007929497149, ReferenceForwardPass.Erf(1), 12);
        Assert.Equal(-0.9953222650189527, ReferenceForwardPass.Erf(-2), 12);
        Assert.Equal(0.9999779095030014, ReferenceForwardPass.Erf(3), 12);
    }

    [Fact]
    public void Random_weights_tiny_model_matches_float64_reference_with_padding()
    {
        // Random weights everywhere (attention output and FFN included), so every operator of every layer matters.
        var weights = DistilBertWeights.Random(DistilBertConfig.For(ModelPreset.Tiny), seed: 7);
        var path = models.Write(DistilBertModelFile.Create(ModelPreset.Tiny, weights), "random-tiny.onnx");
        const int batch = 3, sequence = 9;
        var ids = new long[batch * sequence];
        var mask = new long[batch * sequence];
        var random = new DeterministicRandom(11);
        int[] lengths = [9, 5, 1];
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < lengths[b]; t++)
            {
                ids[(b * sequence) + t] = (long)(random.NextUInt64() % 30522);
                mask[(b * sequence) + t] = 1;
            }
        }

        AssertAgrees(path, weights, ids, mask, batch, sequence);
    }

    [Fact]
    public void Lexicon_weights_tiny_model_matches_float64_reference()
    {
        var weights = DistilBertModelFile.CreateWeights(ModelPreset.Tiny);
        var vocabulary = new SimpleWordPiece(Path.Combine(models.TinyModelFolder, "vocab.txt"));
        var (ids, mask, sequence) = vocabulary.EncodeBatch(ExampleSentences.All);

        AssertAgrees(models.TinyModelPath, weights, ids, mask, ExampleSentences.All.Count, sequence);
    }

    private static void AssertAgrees(string path, DistilBertWeights weights, long[] ids, long[] mask, int batch, int sequence)
    {
        using var session = new InferenceSession(path, new SessionOptions { IntraOpNumThreads = 1 });
        var outputs = session.Run(
        [
            TensorInput.FromInt64("input_ids", ids, batch, sequence),
            TensorInput.FromInt64("attention_mask", mask, batch, sequence),
        ], TestContext.Current.CancellationToken);

        var logits = outputs[0].GetData<float>();
        var expected = ReferenceForwardPass.Logits(weights, ids, mask, batch, sequence);
        Assert.Equal([batch, 2L], outputs[0].Shape);
        Assert.Equal(expected.Length, logits.Length);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - logits[i]));
        }

        Assert.True(worst <= Tolerance, $"largest |ORT - reference| was {worst:E3} (tolerance {Tolerance:E0})");
        // The comparison must have had something to compare: logits are not all zero.
        Assert.Contains(expected, value => Math.Abs(value) > 1e-3);
    }
}

internal static class ExampleSentences
{
    public const string Positive = "The patient is comfortable and improving, pain well controlled";
    public const string Negative = "severe pain, worsening, patient distressed";

    public static IReadOnlyList<string> All { get; } = [Positive, Negative];
}
