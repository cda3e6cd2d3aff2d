using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HealthAI.Tokenizer.Apis;

/// <summary>
/// The request checks both endpoints share. Problems name fields, indexes and sizes, never text: a note must not come back in
/// an error (or reach a log through one).
/// </summary>
internal static class RequestLimits
{
    public static IResult? CheckTexts(IReadOnlyList<string?>? texts, TokenizerOptions options)
    {
        if (texts is null || texts.Count == 0)
        {
            return Invalid("texts", $"texts must hold 1 to {options.MaxTexts} texts.");
        }

        if (texts.Count > options.MaxTexts)
        {
            return TooLarge($"{texts.Count} texts in one call; the limit is {options.MaxTexts}.");
        }

        for (var i = 0; i < texts.Count; i++)
        {
            if (texts[i] is not { } text)
            {
                return Invalid($"texts[{i}]", "texts must not contain null.");
            }

            if (text.Length > options.MaxTextLength)
            {
                return TooLarge(string.Create(CultureInfo.InvariantCulture,
                    $"texts[{i}] is {text.Length} characters long; the limit is {options.MaxTextLength}."));
            }
        }

        return null;
    }

    public static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large");

    public static ProblemHttpResult NotReady() =>
        TypedResults.Problem("The vocabulary is not loaded yet.", statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Tokenizer not ready");
}
