using HealthAI.KServe.Protocol.Grpc;
using HealthAI.Tokenizer.Apis;
using HealthAI.Tokenizer.WordPiece;
using HealthAI.Tokenizer.WordPiece.Batching;
using HealthAI.TritonClient;
using Microsoft.Extensions.Options;

namespace HealthAI.Tokenizer.Classification;

/// <summary>
/// Tokenizes texts, groups the rows by length so each inference call is padded to one bucket (16 ... 512), sends the groups to
/// triton concurrently, applies softmax to the logits and maps them to labels. With the sliding window on, a long note becomes
/// several overlapping windows whose probabilities are averaged (weighted by window length), so the whole note counts.
/// </summary>
public sealed class TextClassifier(ITritonClient triton, ModelLabels labels, IOptions<TokenizerOptions> options, ILogger<TextClassifier> logger)
{
    /// <summary>The model input and output names (DESIGN.md: input_ids, attention_mask -> logits).</summary>
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string Logits = "logits";

    private readonly TokenizerOptions _options = options.Value;

    /// <summary>The model reference the answers carry.</summary>
    public ModelReference Model => new(_options.ModelName, _options.ModelVersion.Length == 0 ? "latest" : _options.ModelVersion);

    /// <summary>Classifies every text; results in input order.</summary>
    public async Task<IReadOnlyList<ClassificationResult>> ClassifyAsync(WordPieceTokenizer tokenizer, IReadOnlyList<string> texts,
        string? requestId, CancellationToken cancellationToken)
    {
        var rows = BuildRows(tokenizer, texts);

        // Similar lengths together: sorted by length, each group padded to the bucket of its longest row.
        var order = Enumerable.Range(0, rows.Count).OrderBy(i => rows[i].Ids.Length).ToArray();
        var groups = order.Chunk(_options.MaxBatchSize).ToArray();
        var probabilities = new double[rows.Count][];
        await Task.WhenAll(groups.Select(group => InferGroupAsync(group, rows, probabilities, requestId, cancellationToken)));

        var results = new ClassificationResult[texts.Count];
        var labelCount = labels.Labels.Count;
        var sums = new double[texts.Count][];
        var weights = new double[texts.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var owner = rows[r].Owner;
            sums[owner] ??= new double[labelCount];
            var weight = rows[r].Ids.Length;
            for (var c = 0; c < labelCount; c++)
            {
                sums[owner][c] += probabilities[r][c] * weight;
            }

            weights[owner] += weight;
        }

        for (var t = 0; t < texts.Count; t++)
        {
            var scores = new Dictionary<string, double>(labelCount, StringComparer.Ordinal);
            var best = 0;
            for (var c = 0; c < labelCount; c++)
            {
                var p = sums[t][c] / weights[t];
                scores[labels.Labels[c]] = p;
                if (p > sums[t][best] / weights[t])
                {
                    best = c;
                }
            }

            results[t] = new ClassificationResult(labels.Labels[best], scores);
        }

        Log.Classified(logger, texts.Count, rows.Count, groups.Length, _options.ModelName, triton.Protocol);
        return results;
    }

    private List<(int Owner, int[] Ids)> BuildRows(WordPieceTokenizer tokenizer, IReadOnlyList<string> texts)
    {
        var rows = new List<(int Owner, int[] Ids)>(texts.Count);
        var window = _options.SlidingWindow;
        var buffer = new int[_options.MaxLength];
        for (var t = 0; t < texts.Count; t++)
        {
            if (window.Enabled)
            {
                foreach (var ids in tokenizer.EncodeWindows(texts[t], _options.MaxLength, window.Stride).Take(window.MaxWindows))
                {
                    rows.Add((t, ids));
                }
            }
            else
            {
                var count = tokenizer.Encode(texts[t], buffer);
                rows.Add((t, buffer[..count]));
            }
        }

        return rows;
    }

    private async Task InferGroupAsync(int[] group, List<(int Owner, int[] Ids)> rows, double[][] probabilities, string? requestId,
        CancellationToken cancellationToken)
    {
        var sequenceLength = LengthBuckets.Select(rows[group[^1]].Ids.Length, _options.MaxLength);
        var ids = new long[group.Length * sequenceLength];
        var mask = new long[group.Length * sequenceLength];
        for (var g = 0; g < group.Length; g++)
        {
            var row = rows[group[g]].Ids;
            for (var t = 0; t < row.Length; t++)
            {
                ids[(g * sequenceLength) + t] = row[t];
                mask[(g * sequenceLength) + t] = 1;
            }
        }

        var request = new InferRequest(_options.ModelName) { ModelVersion = _options.ModelVersion.Length == 0 ? null : _options.ModelVersion, Id = requestId }
            .AddInput(InferInput.Int64(InputIds, ids, group.Length, sequenceLength))
            .AddInput(InferInput.Int64(AttentionMask, mask, group.Length, sequenceLength))
            .AddOutput(Logits);

        InferResult result;
        try
        {
            result = await triton.InferAsync(request, cancellationToken);
        }
        catch (TritonException exception)
        {
            var status = exception.Status switch
            {
                GrpcStatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
                _ when exception.IsTransient => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status502BadGateway,
            };
            Log.InferenceFailed(logger, _options.ModelName, $"{nameof(TritonException)}:{exception.Status}", status);
            throw new ClassificationFailedException(status, $"Inference on '{_options.ModelName}' failed ({exception.Status}).", exception);
        }

        var labelCount = labels.Labels.Count;
        if (!result.TryGetOutput(Logits, out var output) || output.ElementCount != (long)group.Length * labelCount)
        {
            Log.InferenceFailed(logger, _options.ModelName, "UnexpectedOutputShape", StatusCodes.Status502BadGateway);
            throw new ClassificationFailedException(StatusCodes.Status502BadGateway,
                $"'{_options.ModelName}' did not return {Logits} of shape [{group.Length}, {labelCount}].");
        }

        var logits = output.DataType == TensorDataType.Fp32 ? output.AsFp32().ToArray() : [.. output.AsFp16().ToArray().Select(h => (float)h)];
        for (var g = 0; g < group.Length; g++)
        {
            probabilities[group[g]] = Softmax(logits.AsSpan(g * labelCount, labelCount));
        }
    }

    /// <summary>Numerically stable softmax.</summary>
    public static double[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        var result = new double[logits.Length];
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            result[i] = Math.Exp(logits[i] - max);
            sum += result[i];
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= sum;
        }

        return result;
    }
}
