using HealthAI.ModelBuilder.Lexicon;

namespace HealthAI.ModelBuilder.DistilBert;

/// <summary>One encoder layer's parameters. Matrices are stored [in, out], row-major, as ONNX MatMul consumes them.</summary>
internal sealed class DistilBertLayerWeights(DistilBertConfig config)
{
    public float[] Query { get; } = new float[config.Hidden * config.Hidden];
    public float[] QueryBias { get; } = new float[config.Hidden];
    public float[] Key { get; } = new float[config.Hidden * config.Hidden];
    public float[] KeyBias { get; } = new float[config.Hidden];
    public float[] Value { get; } = new float[config.Hidden * config.Hidden];
    public float[] ValueBias { get; } = new float[config.Hidden];
    public float[] AttentionOutput { get; } = new float[config.Hidden * config.Hidden];
    public float[] AttentionOutputBias { get; } = new float[config.Hidden];
    public float[] AttentionNormScale { get; } = Ones(config.Hidden);
    public float[] AttentionNormBias { get; } = new float[config.Hidden];
    public float[] FeedForwardIn { get; } = new float[config.Hidden * config.FeedForward];
    public float[] FeedForwardInBias { get; } = new float[config.FeedForward];
    public float[] FeedForwardOut { get; } = new float[config.FeedForward * config.Hidden];
    public float[] FeedForwardOutBias { get; } = new float[config.Hidden];
    public float[] OutputNormScale { get; } = Ones(config.Hidden);
    public float[] OutputNormBias { get; } = new float[config.Hidden];

    internal static float[] Ones(int length)
    {
        var values = new float[length];
        Array.Fill(values, 1f);
        return values;
    }
}

/// <summary>
/// Every parameter of a DistilBERT sequence classifier: embeddings, encoder layers, and the pre-classifier/classifier head
/// (pooled as a masked mean over tokens).
/// </summary>
internal sealed class DistilBertWeights
{
    /// <summary>Hidden channel that carries a token's valence (its negation rides on the next channel, keeping the mean at 0).</summary>
    public const int ValenceChannel = 0;

    /// <summary>How strongly pooled valence moves the logits: mean valence 0.25 gives logits of about -1 and +1.</summary>
    private const float LogitScale = 4f;

    /// <summary>Spread of the random projections, about BERT's initialiser (uniform +-0.05 has a standard deviation of 0.029).</summary>
    private const float ProjectionScale = 0.05f;

    private DistilBertWeights(DistilBertConfig config)
    {
        Config = config;
        WordEmbeddings = new float[config.VocabularySize * config.Hidden];
        PositionEmbeddings = new float[config.MaxPositions * config.Hidden];
        Layers = new DistilBertLayerWeights[config.Layers];
        for (var i = 0; i < Layers.Length; i++)
        {
            Layers[i] = new DistilBertLayerWeights(config);
        }

        PreClassifier = new float[config.Hidden * config.Hidden];
        PreClassifierBias = new float[config.Hidden];
        Classifier = new float[config.Hidden * DistilBertConfig.Labels];
        ClassifierBias = new float[DistilBertConfig.Labels];
    }

    public DistilBertConfig Config { get; }
    public float[] WordEmbeddings { get; }
    public float[] PositionEmbeddings { get; }
    public float[] EmbeddingNormScale { get; private init; } = [];
    public float[] EmbeddingNormBias { get; private init; } = [];
    public DistilBertLayerWeights[] Layers { get; }
    public float[] PreClassifier { get; }
    public float[] PreClassifierBias { get; }
    public float[] Classifier { get; }
    public float[] ClassifierBias { get; }

    /// <summary>
    /// Weights that classify sentiment by construction, since no fine-tuned DistilBERT can be had here:
    /// <list type="bullet">
    /// <item>each vocabulary token's word embedding carries its VADER valence v on channel 0 and -v on channel 1, plus a
    ///   zero-mean random part on the other channels (norm fixed, so LayerNorm rescales every token alike);</item>
    /// <item>position embeddings are zero-mean random on channels 2.. only;</item>
    /// <item>every layer's query/key/value and first feed-forward projections are random, so attention and the FFN do their
    ///   full compute, while the attention output and second feed-forward projections are zero: the residual stream (and the
    ///   valence channel in it) passes through each layer's LayerNorm unchanged;</item>
    /// <item>the head averages the unmasked tokens, splits channel 0 into its positive and negative parts (ReLU) and maps
    ///   them to [NEGATIVE, POSITIVE] logits.</item>
    /// </list>
    /// </summary>
    public static DistilBertWeights FromLexicon(DistilBertConfig config, IReadOnlyList<string> vocabulary, SentimentLexicon lexicon)
    {
        if (vocabulary.Count != config.VocabularySize)
        {
            throw new InvalidDataException($"The vocabulary has {vocabulary.Count} tokens; the model needs {config.VocabularySize}.");
        }

        var random = new DeterministicRandom(0x4845414C54484149UL); // "HEALTHAI"
        var weights = new DistilBertWeights(config)
        {
            EmbeddingNormScale = DistilBertLayerWeights.Ones(config.Hidden),
            EmbeddingNormBias = new float[config.Hidden],
        };
        var h = config.Hidden;

        for (var token = 0; token < config.VocabularySize; token++)
        {
            var row = weights.WordEmbeddings.AsSpan(token * h, h);
            ZeroMeanNoise(random, row[2..], squaredNorm: h);
            var valence = lexicon.ValenceOfVocabularyToken(vocabulary[token]);
            row[ValenceChannel] = valence;
            row[ValenceChannel + 1] = -valence;
        }

        for (var position = 0; position < config.MaxPositions; position++)
        {
            ZeroMeanNoise(random, weights.PositionEmbeddings.AsSpan((position * h) + 2, h - 2), squaredNorm: 0.1f * h);
        }

        foreach (var layer in weights.Layers)
        {
            random.Fill(layer.Query, ProjectionScale);
            random.Fill(layer.Key, ProjectionScale);
            random.Fill(layer.Value, ProjectionScale);
            random.Fill(layer.QueryBias, ProjectionScale);
            random.Fill(layer.KeyBias, ProjectionScale);
            random.Fill(layer.ValueBias, ProjectionScale);
            random.Fill(layer.FeedForwardIn, ProjectionScale);
            random.Fill(layer.FeedForwardInBias, ProjectionScale);
            // AttentionOutput(+bias) and FeedForwardOut(+bias) stay zero: see the summary.
        }

        // Pre-classifier columns 0 and 1 read +channel 0 and -channel 0; the rest are random features the classifier ignores.
        random.Fill(weights.PreClassifier, ProjectionScale);
        for (var row = 0; row < h; row++)
        {
            weights.PreClassifier[(row * h) + 0] = row == ValenceChannel ? 1f : 0f;
            weights.PreClassifier[(row * h) + 1] = row == ValenceChannel ? -1f : 0f;
        }

        // logits = LogitScale * (relu(p) - relu(-p)) * [-1, +1] = LogitScale * p * [-1, +1]
        weights.Classifier[(0 * DistilBertConfig.Labels) + 0] = -LogitScale;
        weights.Classifier[(0 * DistilBertConfig.Labels) + 1] = LogitScale;
        weights.Classifier[(1 * DistilBertConfig.Labels) + 0] = LogitScale;
        weights.Classifier[(1 * DistilBertConfig.Labels) + 1] = -LogitScale;
        return weights;
    }

    /// <summary>Every parameter random (LayerNorm scales near 1): exercises every path of the graph for numerical checks.</summary>
    public static DistilBertWeights Random(DistilBertConfig config, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        var weights = new DistilBertWeights(config)
        {
            EmbeddingNormScale = NearOne(random, config.Hidden),
            EmbeddingNormBias = Filled(random, config.Hidden, 0.1f),
        };
        random.Fill(weights.WordEmbeddings, 1f);
        random.Fill(weights.PositionEmbeddings, 0.5f);
        foreach (var layer in weights.Layers)
        {
            foreach (var matrix in (float[][])[layer.Query, layer.Key, layer.Value, layer.AttentionOutput, layer.FeedForwardIn, layer.FeedForwardOut])
            {
                random.Fill(matrix, 0.2f);
            }

            foreach (var bias in (float[][])[layer.QueryBias, layer.KeyBias, layer.ValueBias, layer.AttentionOutputBias,
                         layer.FeedForwardInBias, layer.FeedForwardOutBias, layer.AttentionNormBias, layer.OutputNormBias])
            {
                random.Fill(bias, 0.1f);
            }

            foreach (var scale in (float[][])[layer.AttentionNormScale, layer.OutputNormScale])
            {
                NearOne(random, scale.Length).CopyTo(scale, 0);
            }
        }

        random.Fill(weights.PreClassifier, 0.2f);
        random.Fill(weights.PreClassifierBias, 0.1f);
        random.Fill(weights.Classifier, 0.2f);
        random.Fill(weights.ClassifierBias, 0.1f);
        return weights;
    }

    private static float[] NearOne(DeterministicRandom random, int length)
    {
        var values = Filled(random, length, 0.1f);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] += 1f;
        }

        return values;
    }

    private static float[] Filled(DeterministicRandom random, int length, float scale)
    {
        var values = new float[length];
        random.Fill(values, scale);
        return values;
    }

    /// <summary>Random values with an exact zero mean and the given squared norm (in float64, then rounded once).</summary>
    private static void ZeroMeanNoise(DeterministicRandom random, Span<float> values, float squaredNorm)
    {
        Span<double> raw = values.Length <= 4096 ? stackalloc double[values.Length] : new double[values.Length];
        double mean = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = random.NextSymmetric();
            mean += raw[i];
        }

        mean /= raw.Length;
        double norm = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] -= mean;
            norm += raw[i] * raw[i];
        }

        var scale = Math.Sqrt(squaredNorm / norm);
        for (var i = 0; i < raw.Length; i++)
        {
            values[i] = (float)(raw[i] * scale);
        }
    }
}
