using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HealthAI.Tokenizer.Tests.Service;

/// <summary>
/// A KServe v2 JSON endpoint on a real loopback socket (port 0) standing in for triton where the test is about the tokenizer's
/// side: it computes logits from the tensors it receives (so results prove which row went where) and records request shapes.
/// Logits of a row: [number of real tokens / 10, (first piece id % 7) / 3].
/// </summary>
public sealed class FakeKServeServer : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    public List<long[]> Shapes { get; } = [];

    public int FailWithStatus { get; set; }

    public bool ModelReady { get; set; } = true;

    public static (float Negative, float Positive) LogitsFor(ReadOnlySpan<long> realIds) => (realIds.Length / 10f, realIds[1] % 7 / 3f);

    public async Task StartAsync(string modelName)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet($"/v2/models/{modelName}/ready", () => ModelReady ? Results.Ok() : Results.StatusCode(503));
        _app.MapGet("/v2/health/ready", () => Results.Ok());
        _app.MapPost($"/v2/models/{modelName}/infer", async (HttpRequest request) =>
        {
            if (FailWithStatus != 0)
            {
                return Results.Json(new { error = "model failed" }, statusCode: FailWithStatus);
            }

            var body = await JsonNode.ParseAsync(request.Body);
            var inputs = body!["inputs"]!.AsArray();
            var idsNode = inputs.First(i => (string?)i!["name"] == "input_ids")!;
            var maskNode = inputs.First(i => (string?)i!["name"] == "attention_mask")!;
            var shape = idsNode["shape"]!.AsArray().Select(n => (long)n!).ToArray();
            lock (Shapes)
            {
                Shapes.Add(shape);
            }

            var ids = idsNode["data"]!.AsArray().Select(n => (long)n!).ToArray();
            var mask = maskNode["data"]!.AsArray().Select(n => (long)n!).ToArray();
            var logits = new List<float>();
            for (var row = 0; row < shape[0]; row++)
            {
                var rowIds = ids.AsSpan((int)(row * shape[1]), (int)shape[1]);
                var real = (int)mask.AsSpan((int)(row * shape[1]), (int)shape[1]).ToArray().Sum();
                var (negative, positive) = LogitsFor(rowIds[..real]);
                logits.Add(negative);
                logits.Add(positive);
            }

            return Results.Json(new
            {
                model_name = modelName,
                model_version = "1",
                outputs = new[] { new { name = "logits", datatype = "FP32", shape = new[] { shape[0], 2 }, data = logits } },
            });
        });
        await _app.StartAsync();
        Address = new Uri(_app.Urls.First());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
