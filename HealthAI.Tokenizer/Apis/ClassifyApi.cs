using Microsoft.AspNetCore.Http.HttpResults;

namespace HealthAI.Tokenizer.Apis;

/// <summary><c>POST /v1/classify</c>: tokenize, pad to a bucket, infer on triton, softmax, labels.</summary>
public static class ClassifyApi
{
    public static Results<Ok<ClassifyResponse>, ValidationProblem, ProblemHttpResult> Classify(
        ClassifyRequest request, [AsParameters] TokenizerServices services)
    {
        if (RequestLimits.CheckTexts(request.Texts, services.Options) is { } problem)
        {
            return problem is ValidationProblem invalid ? invalid : (ProblemHttpResult)problem;
        }

        return TypedResults.Problem("Classification needs the Triton client, which is not wired yet.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Model not available");
    }
}
