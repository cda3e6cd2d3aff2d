using System.Buffers;
using System.IO.Compression;
using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.ModelConfiguration;
using HealthAI.InferenceServer.Repository;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HealthAI.InferenceServer.Http;

/// <summary>The KServe v2 HTTP/REST API with Triton's extensions (config, statistics, repository, binary tensors).</summary>
public static class KServeHttpApi
{
    public static RouteGroupBuilder MapKServeHttpApi(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").AddEndpointFilter<TritonErrorFilter>().WithTags("KServe v2");
        v2.MapGet("", GetServerMetadata).WithName("ServerMetadata");
        v2.MapGet("/health/live", GetLive).WithName("ServerLive");
        v2.MapGet("/health/ready", GetReady).WithName("ServerReady");

        v2.MapGet("/models/stats", GetAllStatistics).WithName("AllModelStatistics");
        foreach (var prefix in new[] { "/models/{model}", "/models/{model}/versions/{version:long}" })
        {
            var suffix = prefix.Contains("versions", StringComparison.Ordinal) ? "Version" : "";
            v2.MapGet(prefix, GetModelMetadata).WithName("ModelMetadata" + suffix);
            v2.MapGet(prefix + "/ready", GetModelReady).WithName("ModelReady" + suffix);
            v2.MapGet(prefix + "/config", GetModelConfig).WithName("ModelConfig" + suffix);
            v2.MapGet(prefix + "/stats", GetModelStatistics).WithName("ModelStatistics" + suffix);
            v2.MapPost(prefix + "/infer", InferAsync).WithName("ModelInfer" + suffix);
        }

        v2.MapPost("/repository/index", PostRepositoryIndexAsync).WithName("RepositoryIndex");
        v2.MapPost("/repository/models/{model}/load", LoadModelAsync).WithName("RepositoryModelLoad");
        v2.MapPost("/repository/models/{model}/unload", UnloadModelAsync).WithName("RepositoryModelUnload");
        return v2;
    }

    public static JsonHttpResult<ServerMetadataBody> GetServerMetadata() =>
        TypedResults.Json(new ServerMetadataBody(ServerStatus.ServerName, ServerStatus.ServerVersion, ServerStatus.Extensions),
            TritonJsonContext.Relaxed.ServerMetadataBody);

    public static Results<Ok, BadRequest> GetLive(ServerStatus status) =>
        status.IsLive ? TypedResults.Ok() : TypedResults.BadRequest();

    public static Results<Ok, BadRequest> GetReady(ServerStatus status) =>
        status.IsReady ? TypedResults.Ok() : TypedResults.BadRequest();

    public static Results<Ok, JsonHttpResult<ErrorBody>> GetModelReady(ModelManager models, string model, long? version) =>
        models.IsReady(model, Version(version))
            ? TypedResults.Ok()
            : TypedResults.Json(new ErrorBody("Model version not ready"), TritonJsonContext.Relaxed.ErrorBody, statusCode: 400);

    public static JsonHttpResult<ModelMetadataBody> GetModelMetadata(ModelManager models, string model, long? version) =>
        TypedResults.Json(ModelDescriptions.Metadata(models, model, Version(version)), TritonJsonContext.Relaxed.ModelMetadataBody);

    public static FileContentHttpResult GetModelConfig(ModelManager models, string model, long? version) =>
        TypedResults.Bytes(ModelConfigJson.ToUtf8(models.Resolve(model, Version(version)).Config), "application/json");

    public static JsonHttpResult<StatisticsBody> GetAllStatistics(ModelManager models) =>
        TypedResults.Json(ModelDescriptions.Statistics(models, null, null), TritonJsonContext.Relaxed.StatisticsBody);

    public static JsonHttpResult<StatisticsBody> GetModelStatistics(ModelManager models, string model, long? version) =>
        TypedResults.Json(ModelDescriptions.Statistics(models, model, Version(version)), TritonJsonContext.Relaxed.StatisticsBody);

    /// <summary>Infer with JSON or binary tensors; the response is written straight to the body (JSON header + blobs).</summary>
    public static async Task<EmptyHttpResult> InferAsync(HttpContext context, InferenceService inference, string model, long? version)
    {
        var cancellationToken = context.RequestAborted;
        var body = await ReadBodyAsync(context.Request, cancellationToken);
        int? headerLength = null;
        if (context.Request.Headers.TryGetValue(HttpTensorCodec.HeaderLengthName, out var headerValue))
        {
            headerLength = int.TryParse(headerValue.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw InferenceException.InvalidArg("Unable to parse Inference-Header-Content-Length");
        }

        var request = HttpTensorCodec.ParseRequest(model, Version(version), body, headerLength);
        var response = await inference.InferAsync(request.Request, cancellationToken);
        await HttpTensorCodec.WriteResponseAsync(context.Response, request, response, cancellationToken);
        return TypedResults.Empty;
    }

    public static async Task<JsonHttpResult<RepositoryIndexEntryBody[]>> PostRepositoryIndexAsync(HttpRequest request, ModelManager models)
    {
        var readyOnly = false;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var body = await ReadBodyAsync(request, request.HttpContext.RequestAborted);
            if (body.Length > 0)
            {
                using var document = ParseJson(body);
                readyOnly = document.RootElement.TryGetProperty("ready", out var ready) && ready.ValueKind == System.Text.Json.JsonValueKind.True;
            }
        }

        var entries = new List<RepositoryIndexEntryBody>();
        var known = models.Models.ToDictionary(m => m.Name, StringComparer.Ordinal);
        foreach (var found in ModelRepositoryScanner.Scan(request.HttpContext.RequestServices
            .GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.InferenceServerOptions>>().Value.ModelRepositories))
        {
            if (!known.TryGetValue(found.Name, out var entry))
            {
                if (!readyOnly)
                {
                    entries.Add(new RepositoryIndexEntryBody(found.Name, null, "", ""));
                }

                continue;
            }

            if (entry.Versions.Count > 0)
            {
                entries.AddRange(entry.Versions.Select(v => new RepositoryIndexEntryBody(entry.Name, v.VersionText, "READY", "")));
            }
            else if (!readyOnly)
            {
                entries.Add(new RepositoryIndexEntryBody(entry.Name, null, entry.State.ToString().ToUpperInvariant(), entry.Reason));
            }
        }

        return TypedResults.Json(entries.ToArray(), TritonJsonContext.Relaxed.RepositoryIndexEntryBodyArray);
    }

    public static async Task<Ok> LoadModelAsync(ModelManager models, string model, CancellationToken cancellationToken)
    {
        await models.LoadAsync(model, cancellationToken);
        return TypedResults.Ok();
    }

    public static async Task<Ok> UnloadModelAsync(ModelManager models, string model, CancellationToken cancellationToken)
    {
        await models.UnloadAsync(model, cancellationToken);
        return TypedResults.Ok();
    }

    private static string? Version(long? version) =>
        version?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static System.Text.Json.JsonDocument ParseJson(ReadOnlyMemory<byte> body)
    {
        try
        {
            return System.Text.Json.JsonDocument.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            throw InferenceException.InvalidArg("failed to parse the request JSON buffer");
        }
    }

    /// <summary>Reads the whole body (inflating gzip/deflate as Triton does) into one buffer the codec can slice.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding is "gzip" or "deflate")
        {
            Stream inflater = encoding == "gzip"
                ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true)
                : new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
            await using (inflater)
            {
                using var copy = new MemoryStream();
                await inflater.CopyToAsync(copy, cancellationToken);
                return copy.GetBuffer().AsMemory(0, (int)copy.Length);
            }
        }

        if (encoding.Length > 0 && encoding != "identity")
        {
            throw new InferenceException(TritonErrorKind.Unsupported, $"unsupported Content-Encoding '{encoding}'");
        }

        if (request.ContentLength is { } length and <= int.MaxValue)
        {
            var buffer = GC.AllocateUninitializedArray<byte>((int)length);
            await request.Body.ReadExactlyAsync(buffer, cancellationToken);
            return buffer;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
