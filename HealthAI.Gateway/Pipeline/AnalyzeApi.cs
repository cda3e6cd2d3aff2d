using HealthAI.Gateway.Audit;
using HealthAI.Gateway.Authentication;
using HealthAI.Gateway.Limits;
using HealthAI.Gateway.Logging;
using HealthAI.Gateway.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Pipeline;

/// <summary><c>/v1/notes</c>: analyze one note or a batch.</summary>
public static class AnalyzeApi
{
    /// <summary>Route-table id of <c>POST /v1/notes/analyze</c>.</summary>
    public const string AnalyzeRouteId = "analyze";

    /// <summary>Route-table id of <c>POST /v1/notes/analyze-batch</c>.</summary>
    public const string AnalyzeBatchRouteId = "analyze-batch";

    /// <summary>Maps the analyze routes, both requiring the <c>notes.analyze</c> policy.</summary>
    public static RouteGroupBuilder MapAnalyzeApi(this IEndpointRouteBuilder app)
    {
        var notes = app.MapGroup("/v1/notes")
            .WithTags("Notes")
            .RequireAuthorization(GatewayAuthorizationOptions.NotesAnalyze)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        notes.MapPost("/analyze", AnalyzeAsync)
            .WithName("AnalyzeNote")
            .WithSummary("De-identify one note, classify it, and return label, scores and the de-identified text.")
            .WithRequestBody<AnalyzeRequest>()
            .WithMetadata(new GatewayRouteMetadata(AnalyzeRouteId));

        notes.MapPost("/analyze-batch", AnalyzeBatchAsync)
            .WithName("AnalyzeNotes")
            .WithSummary("Analyze up to 64 notes; results keep request order and carry per-note errors.")
            .WithRequestBody<AnalyzeBatchRequest>()
            .WithMetadata(new GatewayRouteMetadata(AnalyzeBatchRouteId));

        return notes;
    }

    /// <summary><c>POST /v1/notes/analyze</c>.</summary>
    public static async Task<Results<Ok<AnalyzeResponse>, ValidationProblem, ProblemHttpResult>> AnalyzeAsync(
        HttpContext context, AnalyzeRequestReader reader, AnalyzePipeline pipeline, ILogger<AnalyzePipeline> logger, CancellationToken cancellationToken)
    {
        var (note, errors) = await reader.ReadNoteAsync(context.Request, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        }

        var requestId = ProblemDetailsExtensions.GetRequestId(context);
        try
        {
            return TypedResults.Ok(await pipeline.AnalyzeAsync(note!, requestId, context.Features.Get<AuditFeature>(), cancellationToken));
        }
        catch (DownstreamException ex)
        {
            Log.DownstreamFailed(logger, ex.Hop, ex.Failure.ToString(), ex.Detail, requestId);
            return TypedResults.Problem(statusCode: ex.StatusCode, title: ex.Title);
        }
    }

    /// <summary><c>POST /v1/notes/analyze-batch</c>: notes run concurrently up to a bound; one failing note fails only itself.</summary>
    public static async Task<Results<Ok<AnalyzeBatchResponse>, ValidationProblem>> AnalyzeBatchAsync(
        HttpContext context, AnalyzeRequestReader reader, AnalyzePipeline pipeline, IOptions<AnalyzeOptions> options,
        ILogger<AnalyzePipeline> logger, CancellationToken cancellationToken)
    {
        var (batch, errors) = await reader.ReadBatchAsync(context.Request, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        }

        var requestId = ProblemDetailsExtensions.GetRequestId(context);
        var audit = context.Features.Get<AuditFeature>();
        var notes = batch!.Notes!;
        var results = new AnalyzeBatchItem[notes.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxBatchConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, notes.Count, parallel, async (i, token) =>
        {
            try
            {
                results[i] = new AnalyzeBatchItem(i, await pipeline.AnalyzeAsync(notes[i], requestId, audit, token), null);
            }
            catch (DownstreamException ex)
            {
                Log.DownstreamFailed(logger, ex.Hop, ex.Failure.ToString(), ex.Detail, requestId);
                results[i] = new AnalyzeBatchItem(i, null, new AnalyzeItemError(ex.StatusCode, ex.Title));
            }
        });

        return TypedResults.Ok(new AnalyzeBatchResponse(requestId, results));
    }
}
