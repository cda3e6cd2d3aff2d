using HealthAI.InferenceServer.Execution;
using Microsoft.AspNetCore.Diagnostics;

namespace HealthAI.InferenceServer.Http;

/// <summary>
/// Turns failures into Triton's <c>{"error": "..."}</c> bodies and status codes instead of the ProblemDetails the other
/// HealthAI services send, because Triton clients parse this shape. Unexpected exceptions answer 500 with their type only.
/// </summary>
internal sealed class TritonErrorFilter(ILogger<TritonErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        DisableStatusCodePages(http);
        try
        {
            return await next(context);
        }
        catch (InferenceException ex)
        {
            Log.RequestFailed(logger, "HTTP", http.Request.Path.Value ?? "", ex.Kind);
            return Error(ex.Message, ex.HttpStatus);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads this answer.
            return Error("Request was cancelled", 400);
        }
        catch (BadHttpRequestException ex)
        {
            return Error("request body could not be read", ex.StatusCode);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.UnexpectedError(logger, "HTTP", http.GetEndpoint()?.DisplayName ?? "request", ex.GetType().Name);
            return Error($"internal error ({ex.GetType().Name})", 500);
        }
    }

    public static IResult Error(string message, int status) =>
        TypedResults.Json(new ErrorBody(message), TritonJsonContext.Relaxed.ErrorBody, statusCode: status);

    public static void DisableStatusCodePages(HttpContext context)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
    }
}
