using HealthAI.Tokenizer.WordPiece.Batching;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HealthAI.Tokenizer.Apis;

/// <summary><c>POST /v1/tokenize</c> and <c>POST /v1/classify</c>.</summary>
public static class TokenizerApi
{
    public static RouteGroupBuilder MapTokenizerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1").WithTags("Tokenizer");
        api.MapPost("/tokenize", Tokenize)
            .WithName("Tokenize")
            .WithSummary("Turns texts into BERT WordPiece input ids and attention masks.");
        api.MapPost("/classify", ClassifyApi.Classify)
            .WithName("Classify")
            .WithSummary("Tokenizes texts and classifies them with the configured model on triton.");
        return api;
    }

    public static Results<Ok<TokenizeResponse>, ValidationProblem, ProblemHttpResult> Tokenize(
        TokenizeRequest request, [AsParameters] TokenizerServices services, CancellationToken cancellationToken)
    {
        var options = services.Options.Value;
        if (RequestLimits.CheckTexts(request.Texts, options) is { } problem)
        {
            return problem is ValidationProblem invalid ? invalid : (ProblemHttpResult)problem;
        }

        var maxLength = request.MaxLengthSpecified ? request.MaxLength : options.MaxLength;
        if (maxLength is < 2)
        {
            return RequestLimits.Invalid("maxLength", "maxLength must be at least 2 ([CLS] and [SEP]) or null for no truncation.");
        }

        PaddingMode padding;
        switch (request.Padding)
        {
            case null or "none":
                padding = PaddingMode.None;
                break;
            case "longest":
                padding = PaddingMode.Longest;
                break;
            case "bucket":
                padding = PaddingMode.Bucket;
                break;
            default:
                return RequestLimits.Invalid("padding", "padding must be none, longest or bucket.");
        }

        if (services.Host.Tokenizer is not { } tokenizer)
        {
            return RequestLimits.NotReady();
        }

        var batch = tokenizer.EncodeBatch(request.Texts!.Select(t => t!).ToArray(), maxLength, padding, cancellationToken);
        var ids = new long[batch.Count][];
        var mask = new long[batch.Count][];
        var truncated = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            ids[i] = padding == PaddingMode.None ? batch.GetIds(i).ToArray() : batch.GetPaddedIds(i).ToArray();
            mask[i] = padding == PaddingMode.None ? [.. batch.GetPaddedMask(i)[..batch.Lengths[i]]] : batch.GetPaddedMask(i).ToArray();
            truncated += batch.Truncated[i] ? 1 : 0;
        }

        Log.Tokenized(services.Logger, batch.Count, batch.SequenceLength, truncated);
        return TypedResults.Ok(new TokenizeResponse(ids, mask));
    }
}
