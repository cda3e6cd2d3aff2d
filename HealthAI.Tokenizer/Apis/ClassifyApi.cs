using HealthAI.Tokenizer.Classification;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HealthAI.Tokenizer.Apis;

/// <summary><c>POST /v1/classify</c>: tokenize, pad to a bucket, infer on triton, softmax, labels.</summary>
public static class ClassifyApi
{
    public static async Task<Results<Ok<ClassifyResponse>, ValidationProblem, ProblemHttpResult>> Classify(
        ClassifyRequest request, [AsParameters] TokenizerServices services, HttpContext context,
        CancellationToken cancellationToken)
    {
        if (RequestLimits.CheckTexts(request.Texts, services.Options.Value) is { } problem)
        {
            return problem is ValidationProblem invalid ? invalid : (ProblemHttpResult)problem;
        }

        if (services.Host.Tokenizer is not { } tokenizer)
        {
            return RequestLimits.NotReady();
        }

        try
        {
            var texts = request.Texts!.Select(t => t!).ToArray();
            var results = await services.Classifier.ClassifyAsync(tokenizer, texts, ProblemDetailsExtensions.GetRequestId(context), cancellationToken);
            return TypedResults.Ok(new ClassifyResponse(services.Classifier.Model, results));
        }
        catch (ClassificationFailedException exception)
        {
            // Fail closed with a bounded answer: no partial results, the status says whether trying again may help.
            return TypedResults.Problem(exception.Message, statusCode: exception.StatusCode, title: "Inference failed");
        }
    }
}
