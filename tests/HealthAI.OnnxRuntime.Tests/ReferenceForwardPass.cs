using HealthAI.ModelBuilder.DistilBert;

namespace HealthAI.OnnxRuntime.Tests;

/// <summary>
/// DistilBERT's forward pass in plain loops and float64, straight from the weights, independent of the ONNX graph:
/// what the generated model must compute.
/// </summary>
internal static class ReferenceForwardPass
{
    public static double[] Logits(DistilBertWeights w, long[] ids, long[] mask, int batch, int sequence)
    {
        var c = w.Config;
        var logits = new double[batch * DistilBertConfig.Labels];
        for (var b = 0; b < batch; b++)
        {
            var tokenIds = ids.AsSpan(b * sequence, sequence);
            var tokenMask = mask.AsSpan(b * sequence, sequence);
            var x = new double[sequence, c.Hidden];
            for (var t = 0; t < sequence; t++)
            {
                for (var i = 0; i < c.Hidden; i++)
                {
                    x[t, i] = (double)w.WordEmbeddings[(tokenIds[t] * c.Hidden) + i] + w.PositionEmbeddings[(t * c.Hidden) + i];
                }
            }

            x = LayerNorm(x, w.EmbeddingNormScale, w.EmbeddingNormBias);
            foreach (var layer in w.Layers)
            {
                var q = Linear(x, layer.Query, layer.QueryBias, c.Hidden);
                var k = Linear(x, layer.Key, layer.KeyBias, c.Hidden);
                var v = Linear(x, layer.Value, layer.ValueBias, c.Hidden);
                var context = new double[sequence, c.Hidden];
                var scale = 1.0 / Math.Sqrt(c.HeadSize);
                for (var head = 0; head < c.Heads; head++)
                {
                    var offset = head * c.HeadSize;
                    for (var i = 0; i < sequence; i++)
                    {
                        var scores = new double[sequence];
                        var max = double.NegativeInfinity;
                        for (var j = 0; j < sequence; j++)
                        {
                            double dot = 0;
                            for (var d = 0; d < c.HeadSize; d++)
                            {
                                dot += q[i, offset + d] * scale * k[j, offset + d];
                            }

                            scores[j] = dot + ((1 - tokenMask[j]) * (double)DistilBertGraph.MaskedScore);
                            max = Math.Max(max, scores[j]);
                        }

                        double sum = 0;
                        for (var j = 0; j < sequence; j++)
                        {
                            scores[j] = Math.Exp(scores[j] - max);
                            sum += scores[j];
                        }

                        for (var d = 0; d < c.HeadSize; d++)
                        {
                            double value = 0;
                            for (var j = 0; j < sequence; j++)
                            {
                                value += scores[j] / sum * v[j, offset + d];
                            }

                            context[i, offset + d] = value;
                        }
                    }
                }

                var attention = Linear(context, layer.AttentionOutput, layer.AttentionOutputBias, c.Hidden);
                x = LayerNorm(Add(x, attention), layer.AttentionNormScale, layer.AttentionNormBias);
                var hidden = Linear(x, layer.FeedForwardIn, layer.FeedForwardInBias, c.FeedForward);
                for (var t = 0; t < sequence; t++)
                {
                    for (var i = 0; i < c.FeedForward; i++)
                    {
                        var a = hidden[t, i];
                        hidden[t, i] = 0.5 * a * (1 + Erf(a / Math.Sqrt(2)));
                    }
                }

                var output = Linear(hidden, layer.FeedForwardOut, layer.FeedForwardOutBias, c.Hidden);
                x = LayerNorm(Add(x, output), layer.OutputNormScale, layer.OutputNormBias);
            }

            var pooled = new double[1, c.Hidden];
            double count = 0;
            for (var t = 0; t < sequence; t++)
            {
                count += tokenMask[t];
                for (var i = 0; i < c.Hidden; i++)
                {
                    pooled[0, i] += x[t, i] * tokenMask[t];
                }
            }

            for (var i = 0; i < c.Hidden; i++)
            {
                pooled[0, i] /= Math.Max(count, 1);
            }

            var features = Linear(pooled, w.PreClassifier, w.PreClassifierBias, c.Hidden);
            for (var i = 0; i < c.Hidden; i++)
            {
                features[0, i] = Math.Max(features[0, i], 0);
            }

            var result = Linear(features, w.Classifier, w.ClassifierBias, DistilBertConfig.Labels);
            logits[b * 2] = result[0, 0];
            logits[(b * 2) + 1] = result[0, 1];
        }

        return logits;
    }

    private static double[,] Linear(double[,] x, float[] weight, float[] bias, int outputs)
    {
        var rows = x.GetLength(0);
        var inputs = x.GetLength(1);
        var y = new double[rows, outputs];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < outputs; o++)
            {
                double sum = bias[o];
                for (var i = 0; i < inputs; i++)
                {
                    sum += x[r, i] * weight[(i * outputs) + o];
                }

                y[r, o] = sum;
            }
        }

        return y;
    }

    private static double[,] Add(double[,] a, double[,] b)
    {
        var y = new double[a.GetLength(0), a.GetLength(1)];
        for (var r = 0; r < a.GetLength(0); r++)
        {
            for (var i = 0; i < a.GetLength(1); i++)
            {
                y[r, i] = a[r, i] + b[r, i];
            }
        }

        return y;
    }

    private static double[,] LayerNorm(double[,] x, float[] scale, float[] bias)
    {
        var rows = x.GetLength(0);
        var width = x.GetLength(1);
        var y = new double[rows, width];
        for (var r = 0; r < rows; r++)
        {
            double mean = 0;
            for (var i = 0; i < width; i++)
            {
                mean += x[r, i];
            }

            mean /= width;
            double variance = 0;
            for (var i = 0; i < width; i++)
            {
                variance += (x[r, i] - mean) * (x[r, i] - mean);
            }

            variance /= width;
            var inverse = 1 / Math.Sqrt(variance + DistilBertConfig.LayerNormEpsilon);
            for (var i = 0; i < width; i++)
            {
                y[r, i] = ((x[r, i] - mean) * inverse * scale[i]) + bias[i];
            }
        }

        return y;
    }

    /// <summary>erf in float64: Maclaurin series below 2.5, Laplace's continued fraction for erfc above (both good to ~1e-14).</summary>
    internal static double Erf(double x)
    {
        var z = Math.Abs(x);
        double result;
        if (z < 2.5)
        {
            double term = z, sum = z;
            for (var n = 1; n < 100 && Math.Abs(term) > 1e-17; n++)
            {
                term *= -z * z / n;
                sum += term / ((2 * n) + 1);
            }

            result = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            double fraction = 0;
            for (var n = 60; n >= 1; n--)
            {
                fraction = n / 2.0 / (z + fraction);
            }

            result = 1 - (Math.Exp(-z * z) / Math.Sqrt(Math.PI) / (z + fraction));
        }

        return x < 0 ? -result : result;
    }
}
