using HealthAI.ModelBuilder.Onnx;
using static HealthAI.ModelBuilder.Onnx.OnnxGraphBuilder;
using DataType = HealthAI.ModelBuilder.Onnx.TensorProto.Types.DataType;

namespace HealthAI.ModelBuilder.DistilBert;

/// <summary>
/// Writes a DistilBERT sequence classifier as an ONNX opset-17 graph, operator for operator as the Hugging Face export computes it:
/// word + position embeddings and LayerNorm; per layer multi-head self-attention (q scaled by 1/sqrt(d), additive mask), residual
/// and LayerNorm, GELU feed-forward (GELU from Erf: Gelu arrives only in opset 20), residual and LayerNorm; then the head.
/// Inputs <c>input_ids</c>, <c>attention_mask</c> int64 [batch, sequence]; output <c>logits</c> float32 [batch, 2].
/// </summary>
internal static class DistilBertGraph
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string Logits = "logits";
    public const int OpsetVersion = 17;
    public const long IrVersion = 8;

    /// <summary>Added to the attention scores of padding positions before the softmax.</summary>
    public const float MaskedScore = -10000f;

    public static ModelProto Build(DistilBertWeights weights, string docString, IReadOnlyDictionary<string, string> metadata)
    {
        var config = weights.Config;
        var g = new OnnxGraphBuilder("distilbert_sequence_classification");
        g.Input(InputIds, DataType.Int64, "batch", "sequence");
        g.Input(AttentionMask, DataType.Int64, "batch", "sequence");
        g.Output(Logits, DataType.Float, "batch", DistilBertConfig.Labels);

        var h = config.Hidden;
        var zero = g.Scalar("const_zero", 0L);
        var one = g.Scalar("const_one", 1L);
        var oneFloat = g.Scalar("const_one_f", 1f);
        var half = g.Scalar("const_half", 0.5f);
        var sqrtTwo = g.Scalar("const_sqrt_two", MathF.Sqrt(2f));
        var maskedScore = g.Scalar("const_masked_score", MaskedScore);
        var queryScale = g.Scalar("const_query_scale", 1f / MathF.Sqrt(config.HeadSize));
        var splitHeads = g.Initializer("const_split_heads_shape", [0, 0, config.Heads, config.HeadSize], 4);
        var mergeHeads = g.Initializer("const_merge_heads_shape", [0, 0, h], 3);
        var axes12 = g.Initializer("const_axes_1_2", [1, 2], 2);
        var axes1 = g.Initializer("const_axes_1", [1], 1);
        var axes2 = g.Initializer("const_axes_2", [2], 1);

        // Embeddings: word + position (positions 0..S-1), LayerNorm.
        var wordTable = g.Initializer("distilbert.embeddings.word_embeddings.weight", weights.WordEmbeddings, config.VocabularySize, h);
        var positionTable = g.Initializer("distilbert.embeddings.position_embeddings.weight", weights.PositionEmbeddings, config.MaxPositions, h);
        var words = g.Node("Gather", [wordTable, InputIds], attributes: Int("axis", 0));
        var sequenceLength = g.Node("Gather", [g.Node("Shape", [InputIds]), one], attributes: Int("axis", 0));
        var positionIds = g.Node("Range", [zero, sequenceLength, one]);
        var positions = g.Node("Gather", [positionTable, positionIds], attributes: Int("axis", 0));
        var x = LayerNorm(g, g.Node("Add", [words, positions]), "distilbert.embeddings.LayerNorm",
            weights.EmbeddingNormScale, weights.EmbeddingNormBias);

        // Additive attention mask [N, 1, 1, S]: 0 for tokens, MaskedScore for padding.
        var maskFloat = g.Node("Cast", [AttentionMask], attributes: Int("to", (long)DataType.Float));
        var padding = g.Node("Sub", [oneFloat, maskFloat]);
        var scoreMask = g.Node("Unsqueeze", [g.Node("Mul", [padding, maskedScore]), axes12]);

        for (var i = 0; i < config.Layers; i++)
        {
            var layer = weights.Layers[i];
            var prefix = $"distilbert.transformer.layer.{i}";

            // Self-attention.
            var q = Heads(g, Linear(g, x, $"{prefix}.attention.q_lin", layer.Query, layer.QueryBias, h, h), splitHeads, [0, 2, 1, 3]);
            var k = Heads(g, Linear(g, x, $"{prefix}.attention.k_lin", layer.Key, layer.KeyBias, h, h), splitHeads, [0, 2, 3, 1]);
            var v = Heads(g, Linear(g, x, $"{prefix}.attention.v_lin", layer.Value, layer.ValueBias, h, h), splitHeads, [0, 2, 1, 3]);
            var scores = g.Node("Add", [g.Node("MatMul", [g.Node("Mul", [q, queryScale]), k]), scoreMask]);
            var probabilities = g.Node("Softmax", [scores], attributes: Int("axis", -1));
            var context = g.Node("MatMul", [probabilities, v]);
            var merged = g.Node("Reshape", [g.Node("Transpose", [context], attributes: Ints("perm", 0, 2, 1, 3)), mergeHeads]);
            var attention = Linear(g, merged, $"{prefix}.attention.out_lin", layer.AttentionOutput, layer.AttentionOutputBias, h, h);
            x = LayerNorm(g, g.Node("Add", [x, attention]), $"{prefix}.sa_layer_norm", layer.AttentionNormScale, layer.AttentionNormBias);

            // Feed-forward with exact GELU: 0.5 * a * (1 + erf(a / sqrt 2)).
            var a = Linear(g, x, $"{prefix}.ffn.lin1", layer.FeedForwardIn, layer.FeedForwardInBias, h, config.FeedForward);
            var erf = g.Node("Erf", [g.Node("Div", [a, sqrtTwo])]);
            var gelu = g.Node("Mul", [g.Node("Mul", [a, half]), g.Node("Add", [erf, oneFloat])]);
            var ffn = Linear(g, gelu, $"{prefix}.ffn.lin2", layer.FeedForwardOut, layer.FeedForwardOutBias, config.FeedForward, h);
            x = LayerNorm(g, g.Node("Add", [x, ffn]), $"{prefix}.output_layer_norm", layer.OutputNormScale, layer.OutputNormBias);
        }

        // Head: masked mean over tokens, pre-classifier + ReLU, classifier.
        var tokenWeights = g.Node("Unsqueeze", [maskFloat, axes2]);
        var summed = g.Node("ReduceSum", [g.Node("Mul", [x, tokenWeights]), axes1], attributes: Int("keepdims", 0));
        var count = g.Node("Max", [g.Node("ReduceSum", [maskFloat, axes1], attributes: Int("keepdims", 1)), oneFloat]);
        var pooled = g.Node("Div", [summed, count]);
        var features = g.Node("Relu", [Linear(g, pooled, "pre_classifier", weights.PreClassifier, weights.PreClassifierBias, h, h)]);
        var classifierWeight = g.Initializer("classifier.weight", weights.Classifier, h, DistilBertConfig.Labels);
        var classifierBias = g.Initializer("classifier.bias", weights.ClassifierBias, DistilBertConfig.Labels);
        g.Node("Add", [g.Node("MatMul", [features, classifierWeight]), classifierBias], output: Logits);

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "HealthAI.ModelBuilder",
            ProducerVersion = "1",
            Domain = "ai.healthai",
            ModelVersion = 1,
            DocString = docString,
            Graph = g.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static string Linear(OnnxGraphBuilder g, string input, string name, float[] weight, float[] bias, int inputs, int outputs)
    {
        var w = g.Initializer($"{name}.weight", weight, inputs, outputs);
        var b = g.Initializer($"{name}.bias", bias, outputs);
        return g.Node("Add", [g.Node("MatMul", [input, w]), b]);
    }

    private static string Heads(OnnxGraphBuilder g, string projected, string splitShape, long[] perm) =>
        g.Node("Transpose", [g.Node("Reshape", [projected, splitShape])], attributes: Ints("perm", perm));

    private static string LayerNorm(OnnxGraphBuilder g, string input, string name, float[] scale, float[] bias)
    {
        var gamma = g.Initializer($"{name}.weight", scale, scale.Length);
        var beta = g.Initializer($"{name}.bias", bias, bias.Length);
        return g.Node("LayerNormalization", [input, gamma, beta],
            attributes: [Int("axis", -1), Float("epsilon", DistilBertConfig.LayerNormEpsilon)]);
    }
}
