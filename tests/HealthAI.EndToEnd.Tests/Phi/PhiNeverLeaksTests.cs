using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HealthAI.EndToEnd.Tests.Infrastructure;

namespace HealthAI.EndToEnd.Tests.Phi;

[Collection(SystemCollection.Name)]
public sealed class PhiNeverLeaksTests(SystemFixture system)
{
    [Fact]
    public async Task Canaries_sent_through_every_public_route_appear_only_in_the_callers_own_response()
    {
        var ct = TestContext.Current.CancellationToken;
        var note = CanaryNote.Create();
        foreach (var canary in note.Canaries)
        {
            system.TritonHttpProxy.AddWatched(canary);
            system.TritonGrpcProxy.AddWatched(canary);
        }

        using var client = system.CreateAuthorizedClient();
        var errorBodies = new List<string>();
        var classifiedBefore = system.TritonHttpProxy.HitsOf("POST /v2/models") + system.TritonGrpcProxy.HitsOf("ModelInfer");
        system.TritonHttpProxy.AddWatched("POST /v2/models");
        system.TritonGrpcProxy.AddWatched("ModelInfer");

        // Accepted requests: the pipeline, the batch pipeline and de-identification alone.
        var analyze = await client.PostAsJsonAsync("/v1/notes/analyze", note.AnalyzeRequest(), ct);
        var analyzeBody = await analyze.Content.ReadAsStringAsync(ct);
        Assert.True(analyze.StatusCode == HttpStatusCode.OK, $"analyze answered {(int)analyze.StatusCode}: {analyzeBody}");
        using (var json = JsonDocument.Parse(analyzeBody))
        {
            var deidentified = json.RootElement.GetProperty("deidentified").GetProperty("text").GetString()!;
            // The de-identified text is part of the caller's response, but it must not carry the PHI either.
            Assert.Empty(LeakScanner.Find("analyze deidentified.text", [deidentified], note.Canaries));
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("label").GetString()));
        }

        var batch = await client.PostAsJsonAsync("/v1/notes/analyze-batch",
            new { notes = new[] { note.AnalyzeRequest(), note.AnalyzeRequest(returnText: false) } }, ct);
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);

        var deidentify = await client.PostAsJsonAsync("/v1/deidentify", new { text = note.Text, mode = "placeholder" }, ct);
        Assert.Equal(HttpStatusCode.OK, deidentify.StatusCode);

        // Rejected requests carry the same PHI; their error bodies must not echo it.
        async Task Rejected(HttpRequestMessage request, HttpStatusCode expected, HttpClient? sender = null)
        {
            var response = await (sender ?? client).SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            errorBodies.Add(body);
            Assert.True(response.StatusCode == expected, $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
        }

        HttpRequestMessage Post(string path, string body, string contentType = "application/json") =>
            new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };

        var analyzeJson = JsonSerializer.Serialize(note.AnalyzeRequest());
        using var anonymous = new HttpClient { BaseAddress = system.GatewayAddress };
        await Rejected(Post("/v1/notes/analyze", analyzeJson), HttpStatusCode.Unauthorized, anonymous);
        using var wrongScope = system.CreateAuthorizedClient("models.read");
        await Rejected(Post("/v1/notes/analyze", analyzeJson), HttpStatusCode.Forbidden, wrongScope);
        await Rejected(Post("/v1/notes/analyze", analyzeJson[..^5]), HttpStatusCode.BadRequest);
        await Rejected(Post("/v1/notes/analyze", $"{{\"text\": {{\"nested\": \"{note.Text}\"}}}}"), HttpStatusCode.BadRequest);
        await Rejected(Post("/v1/notes/analyze", analyzeJson, "image/png"), HttpStatusCode.UnsupportedMediaType);
        var huge = JsonSerializer.Serialize(new { text = string.Concat(Enumerable.Repeat(note.Text + " ", 40_000)) });
        await Rejected(Post("/v1/notes/analyze", huge), HttpStatusCode.RequestEntityTooLarge);
        await Rejected(Post("/v1/deidentify", $"{{\"text\": \"{note.Text}\", \"mode\": \"{note.LastName}\"}}"), HttpStatusCode.BadRequest);

        // Telemetry is exported in the background: wait until every service has exported traces after this traffic.
        await WaitForTelemetryAsync(ct);

        var leaks = new List<string>();
        foreach (var process in system.Processes)
        {
            leaks.AddRange(LeakScanner.Find($"{process.Name} output", process.Output, note.Canaries));
        }

        Assert.True(File.Exists(system.AuditFile), "the gateway wrote no audit file");
        var audit = await File.ReadAllLinesAsync(system.AuditFile, ct);
        Assert.NotEmpty(audit);
        leaks.AddRange(LeakScanner.Find("audit", audit, note.Canaries));
        leaks.AddRange(LeakScanner.FindInBytes("otlp", system.Otlp.Payloads.Select(p => p.Body), note.Canaries));
        leaks.AddRange(LeakScanner.Find("error body", errorBodies, note.Canaries));
        foreach (var canary in note.Canaries)
        {
            if (system.TritonHttpProxy.HitsOf(canary) + system.TritonGrpcProxy.HitsOf(canary) > 0)
            {
                leaks.Add($"inference server received '{canary}'");
            }
        }

        Assert.Empty(leaks);
        // The scan was not vacuous: the inference server did classify these notes, and telemetry did arrive.
        Assert.True(system.TritonHttpProxy.HitsOf("POST /v2/models") + system.TritonGrpcProxy.HitsOf("ModelInfer") > classifiedBefore);
        Assert.True(system.Otlp.CountOf("traces") > 0 && system.Otlp.CountOf("logs") > 0);
    }

    private async Task WaitForTelemetryAsync(CancellationToken ct)
    {
        var before = system.Otlp.Payloads.Count;
        for (var i = 0; i < 50 && system.Otlp.Payloads.Count < before + 8; i++)
        {
            await Task.Delay(200, ct);
        }

        // One more export interval so the last batch of this traffic is in.
        await Task.Delay(1_000, ct);
    }
}
