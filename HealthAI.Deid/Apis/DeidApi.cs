using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HealthAI.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HealthAI.Deid.Apis;

/// <summary>Dependencies of the de-identification handlers.</summary>
public sealed class DeidServices(DeidEngine engine, IOptions<DeidOptions> options, ILogger<DeidServices> logger)
{
    public DeidEngine Engine { get; } = engine;

    public DeidOptions Options { get; } = options.Value;

    public ILogger Logger { get; } = logger;
}

/// <summary><c>POST /v1/deidentify</c> and <c>POST /v1/deidentify-batch</c> (see DESIGN.md, internal APIs).</summary>
public static class DeidApi
{
    public static RouteGroupBuilder MapDeidApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("De-identification");
        group.MapPost("/deidentify", DeidentifyAsync).WithName("Deidentify").WithSummary("De-identify one note");
        group.MapPost("/deidentify-batch", DeidentifyBatchAsync).WithName("DeidentifyBatch").WithSummary("De-identify up to MaxBatchItems notes");
        return group;
    }

    public static async Task<Results<Ok<DeidentifyResponse>, ProblemHttpResult>> DeidentifyAsync(
        HttpRequest request, [AsParameters] DeidServicesParameter parameters, CancellationToken cancellationToken)
    {
        var services = parameters.Services;
        var (body, problem) = await ReadAsync(request, services, DeidJsonContext.Default.DeidentifyRequest, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var error = DeidEngine.TryValidate(body, services.Options, out var input, out var tooLarge);
        if (error is not null)
        {
            return Reject(services, tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest, error);
        }

        var response = services.Engine.Deidentify(input);
        Log.Deidentified(services.Logger, 1, input.Text.Length, response.Entities.Count, input.Mode);
        return TypedResults.Ok(response);
    }

    public static async Task<Results<Ok<DeidentifyBatchResponse>, ProblemHttpResult>> DeidentifyBatchAsync(
        HttpRequest request, [AsParameters] DeidServicesParameter parameters, CancellationToken cancellationToken)
    {
        var services = parameters.Services;
        var (body, problem) = await ReadAsync(request, services, DeidJsonContext.Default.DeidentifyBatchRequest, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body?.Items is not { Count: > 0 } items)
        {
            return Reject(services, StatusCodes.Status400BadRequest, "'items' must be a non-empty array.");
        }

        if (items.Count > services.Options.MaxBatchItems)
        {
            return Reject(services, StatusCodes.Status413PayloadTooLarge, $"'items' holds more than {services.Options.MaxBatchItems} notes.");
        }

        var inputs = new NoteInput[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var error = DeidEngine.TryValidate(items[i], services.Options, out inputs[i], out var tooLarge);
            if (error is not null)
            {
                return Reject(services, tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest, $"items[{i}]: {error}");
            }
        }

        var results = new DeidentifyResponse[inputs.Length];
        var characters = 0;
        var entities = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results[i] = services.Engine.Deidentify(inputs[i]);
            characters += inputs[i].Text.Length;
            entities += results[i].Entities.Count;
        }

        Log.Deidentified(services.Logger, inputs.Length, characters, entities, inputs[0].Mode);
        return TypedResults.Ok(new DeidentifyBatchResponse(results));
    }

    private static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpRequest request, DeidServices services, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        if (request.ContentLength > services.Options.MaxRequestBytes)
        {
            return (default, Reject(services, StatusCodes.Status413PayloadTooLarge, $"The request body exceeds {services.Options.MaxRequestBytes} bytes."));
        }

        if (!request.HasJsonContentType())
        {
            return (default, Reject(services, StatusCodes.Status415UnsupportedMediaType, "The request body must be application/json."));
        }

        try
        {
            using var limited = new LengthLimitedStream(request.Body, services.Options.MaxRequestBytes);
            var body = await JsonSerializer.DeserializeAsync(limited, typeInfo, cancellationToken);
            return (body, null);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, Reject(services, StatusCodes.Status413PayloadTooLarge, $"The request body exceeds {services.Options.MaxRequestBytes} bytes."));
        }
        catch (JsonException)
        {
            // The exception message can quote the payload: only its kind is reported.
            return (default, Reject(services, StatusCodes.Status400BadRequest, "The request body is not valid JSON for this endpoint."));
        }
    }

    private static ProblemHttpResult Reject(DeidServices services, int statusCode, string detail)
    {
        Log.RequestRejected(services.Logger, statusCode == StatusCodes.Status413PayloadTooLarge ? "too large" : "invalid", statusCode);
        return TypedResults.Problem(detail: detail, statusCode: statusCode,
            title: statusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Invalid request");
    }
}

/// <summary>Binds <see cref="DeidServices"/> from DI for <c>[AsParameters]</c>.</summary>
public readonly record struct DeidServicesParameter(DeidServices Services);
