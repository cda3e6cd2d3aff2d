using Google.Protobuf;
using HealthAI.ModelBuilder.Lexicon;
using HealthAI.ModelBuilder.Onnx;

namespace HealthAI.ModelBuilder.DistilBert;

/// <summary>Generates the bundled model: lexicon-derived weights in a DistilBERT graph, written byte-for-byte deterministically.</summary>
internal static class DistilBertModelFile
{
    public const string WeightsDescription =
        "Lexicon-derived weights (VADER valence per bert-base-uncased token), not a fine-tuned DistilBERT. "
        + "Every layer does DistilBERT's full compute; the attention-output and second feed-forward projections are zero, "
        + "so the residual stream carries the valence channel to a masked-mean classifier head.";

    public static DistilBertWeights CreateWeights(ModelPreset preset) =>
        DistilBertWeights.FromLexicon(DistilBertConfig.For(preset), ModelAssets.ReadVocabulary(), ModelAssets.ReadLexicon());

    public static ModelProto Create(ModelPreset preset) => Create(preset, CreateWeights(preset));

    public static ModelProto Create(ModelPreset preset, DistilBertWeights weights) =>
        DistilBertGraph.Build(weights, $"DistilBERT-shaped sentiment classifier, preset {DistilBertConfig.NameOf(preset)}. {WeightsDescription}",
            new Dictionary<string, string>
            {
                ["healthai.preset"] = DistilBertConfig.NameOf(preset),
                ["healthai.weights"] = "lexicon-derived (VADER); not a fine-tuned DistilBERT",
                ["healthai.labels"] = "NEGATIVE,POSITIVE",
                ["healthai.vocabulary"] = "bert-base-uncased",
            });

    /// <summary>Writes the model to <paramref name="path"/> through a temporary file and an atomic rename.</summary>
    public static async Task<long> WriteAsync(ModelProto model, string path, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                // Serialize into memory first (Google.Protobuf writes synchronously), then stream it out cancellably.
                var bytes = model.ToByteArray();
                await stream.WriteAsync(bytes, cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
            return new FileInfo(path).Length;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
