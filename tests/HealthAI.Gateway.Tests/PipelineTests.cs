using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using System.Text.Json.Nodes;

namespace HealthAI.Gateway.Tests;

public sealed class PipelineTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    // Canary PHI: if either string shows up anywhere past deid, the gateway leaked it.
    private const string CanaryName = "Zebulon Quixworth";
    private const string CanarySsn = "987-65-4321";
    private static readonly string CanaryNote = $"{CanaryName} (SSN {CanarySsn}) says he feels good. {CanaryName} slept well.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client()
    {
        fixture.ResetFakes();
        return fixture.App.CreateClient(TestTokens.Create());
    }

    private static object CanaryRequest(bool returnText = true) => new { text = CanaryNote, patient = new { name = CanaryName }, returnText };

    [Fact]
    public async Task Analyze_ReturnsLabelScores_AndSpansIntoTheDeidentifiedText()
    {
        var response = await Client().PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("POSITIVE", (string?)body["label"]);
        Assert.Equal(0.9, (double)body["scores"]!["POSITIVE"]!);
        Assert.Equal("distilbert-sst2", (string?)body["model"]!["name"]);
        Assert.False(string.IsNullOrEmpty((string?)body["requestId"]));
        var text = (string)body["deidentified"]!["text"]!;
        Assert.Equal("[NAME] (SSN [SSN]) says he feels good. [NAME] slept well.", text);
        var spans = body["deidentified"]!["entities"]!.AsArray();
        Assert.Equal(["NAME", "SSN", "NAME"], spans.Select(s => (string)s!["type"]!));
        foreach (var span in spans)
        {
            var start = (int)span!["start"]!;
            var end = (int)span["end"]!;
            Assert.Equal($"[{(string)span["type"]!}]", text[start..end]);
        }

        Assert.True((double)body["timingsMs"]!["total"]! >= (double)body["timingsMs"]!["deid"]!);
    }

    [Fact]
    public async Task Tokenizer_ReceivesOnlyDeidentifiedText()
    {
        await Client().PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(), Ct);

        var sent = Assert.Single(fixture.Tokenizer.Requests);
        Assert.DoesNotContain(CanaryName, sent.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(CanarySsn, sent.Body, StringComparison.Ordinal);
        Assert.Contains("[NAME]", sent.Body, StringComparison.Ordinal);
        var deidCall = Assert.Single(fixture.Deid.Requests);
        Assert.Equal("placeholder", (string?)JsonNode.Parse(deidCall.Body)!["mode"]);
    }

    [Fact]
    public async Task ReturnTextFalse_OmitsTheText()
    {
        var response = await Client().PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(returnText: false), Ct);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Null(body["deidentified"]);
        Assert.Equal("POSITIVE", (string?)body["label"]);
    }

    [Fact]
    public async Task PlainTextBody_IsAnalyzedAsTheNote()
    {
        var response = await Client().PostAsync("/v1/notes/analyze", new StringContent("Call 123-45-6789, all good.", Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("Call [SSN], all good.", (string?)body["deidentified"]!["text"]);
    }

    [Fact]
    public async Task PlainTextThatIsNotUtf8_Is400_AndNothingReachesDeid()
    {
        var client = Client();
        // UTF-16 without a charset: valid UTF-8 bytes, but NULs between the letters.
        var utf16 = new ByteArrayContent(Encoding.Unicode.GetBytes("Zebulon Quixworth feels good."));
        utf16.Headers.ContentType = new("text/plain");
        var invalid = new ByteArrayContent([0x5a, 0xff, 0xfe, 0x65]);
        invalid.Headers.ContentType = new("text/plain");

        var nul = await client.PostAsync("/v1/notes/analyze", utf16, Ct);
        var notUtf8 = await client.PostAsync("/v1/notes/analyze", invalid, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.NotNull(JsonNode.Parse(await nul.Content.ReadAsStringAsync(Ct))!["errors"]!["text"]);
        Assert.Equal(HttpStatusCode.BadRequest, notUtf8.StatusCode);
        Assert.NotNull(JsonNode.Parse(await notUtf8.Content.ReadAsStringAsync(Ct))!["errors"]!["body"]);
        Assert.Equal(0, fixture.Deid.Calls);
    }

    public static TheoryData<string, int> DeidFailures() => new()
    {
        { "500", 503 },
        { "503", 503 },
        { "400", 502 },
        { "malformed", 502 },
        { "spans out of range", 502 },
        { "body broken off", 503 },
        { "unknown charset", 502 },
    };

    [Theory]
    [MemberData(nameof(DeidFailures))]
    public async Task DeidFailure_FailsClosed_NothingReachesTheTokenizer(string failure, int expectedStatus)
    {
        var client = Client();
        fixture.Deid.Handler = failure switch
        {
            "500" => FakeServices.Status(500),
            "503" => FakeServices.Status(503),
            "400" => FakeServices.Status(400),
            "malformed" => (context, _) => context.Response.WriteAsync("{\"text\": [1,2"),
            "spans out of range" => (context, _) => FakeServices.WriteJson(context, JsonNode.Parse(
                $"{{\"text\":\"x\",\"entities\":[{{\"type\":\"NAME\",\"start\":0,\"end\":100000,\"replacement\":\"[NAME]\"}}]}}")!),
            "body broken off" => async (context, _) =>
            {
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = 500;
                await context.Response.WriteAsync("{\"text\":\"abc");
                await context.Response.Body.FlushAsync();
                context.Abort();
            },
            "unknown charset" => (context, _) =>
            {
                context.Response.ContentType = "application/json; charset=nope";
                return context.Response.WriteAsync("{\"text\":\"x\",\"entities\":[]}");
            },
            _ => throw new ArgumentOutOfRangeException(nameof(failure)),
        };

        var response = await client.PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(), Ct);

        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.False(string.IsNullOrEmpty((string?)problem["requestId"]));
        Assert.Equal(0, fixture.Tokenizer.Calls);
        Assert.True(fixture.Deid.Calls >= 1);
    }

    [Fact]
    public async Task DeidHang_Is504_AfterTheHopTimeout_NothingReachesTheTokenizer()
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        settings["Gateway:Analyze:DeidTimeout"] = "00:00:00.500";
        await using var app = new GatewayApp(settings);
        fixture.ResetFakes();
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Deid.Handler = FakeServices.Hang(aborted);

        var response = await app.CreateClient(TestTokens.Create()).PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(), Ct);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("deid", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(0, fixture.Tokenizer.Calls);
    }

    [Fact]
    public async Task DeidUnreachable_Is503_NothingReachesTheTokenizer()
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        settings["services:deid:http:0"] = "http://127.0.0.1:1";
        await using var app = new GatewayApp(settings);
        fixture.ResetFakes();

        var response = await app.CreateClient(TestTokens.Create()).PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, fixture.Tokenizer.Calls);
    }

    [Fact]
    public async Task DeidCircuitOpen_Is503_WithoutCallingDeid()
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        settings["HttpClientDefaults:Resilience:CircuitMinimumThroughput"] = "2";
        settings["HttpClientDefaults:Resilience:CircuitBreakDuration"] = "00:05:00";
        await using var app = new GatewayApp(settings);
        fixture.ResetFakes();
        fixture.Deid.Handler = FakeServices.Status(500);
        var client = app.CreateClient(TestTokens.Create());

        for (var i = 0; i < 3; i++)
        {
            await client.PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(), Ct);
        }

        var callsWhenOpen = fixture.Deid.Calls;
        var response = await client.PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("paused", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(callsWhenOpen, fixture.Deid.Calls);
        Assert.Equal(0, fixture.Tokenizer.Calls);
    }

    [Fact]
    public async Task TokenizerFailure_Is503()
    {
        var client = Client();
        fixture.Tokenizer.Handler = FakeServices.Status(500);

        var response = await client.PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"0.5\"")]
    public async Task TokenizerScoreThatIsNotAFiniteNumber_Is502_AndFailsOnlyItsNoteInABatch(string score)
    {
        var client = Client();
        fixture.Tokenizer.Handler = (context, body) => body.Contains("odd", StringComparison.Ordinal)
            ? context.Response.WriteAsync($"{{\"results\":[{{\"label\":\"A\",\"scores\":{{\"A\":{score}}}}}]}}")
            : FakeServices.Tokenizer(context, body);

        var single = await client.PostAsJsonAsync("/v1/notes/analyze", new { text = "an odd one" }, Ct);
        var batch = await client.PostAsJsonAsync("/v1/notes/analyze-batch", new { notes = new[] { new { text = "good" }, new { text = "odd" }, new { text = "fine" } } }, Ct);

        Assert.Equal(HttpStatusCode.BadGateway, single.StatusCode);
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var results = JsonNode.Parse(await batch.Content.ReadAsStringAsync(Ct))!["results"]!.AsArray();
        Assert.Equal("POSITIVE", (string?)results[0]!["result"]!["label"]);
        Assert.Equal(502, (int)results[1]!["error"]!["status"]!);
        Assert.NotNull(results[2]!["result"]);
    }

    [Fact]
    public async Task ClientCancellation_ReachesDeid()
    {
        var client = Client();
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Deid.Handler = FakeServices.Hang(aborted);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = client.PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(), cancel.Token);
        while (fixture.Deid.Calls == 0)
        {
            await Task.Delay(10, Ct);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        // Deid sees its request aborted within 30 s, long before the 2-minute hop timeout: the cancellation came from the client.
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(0, fixture.Tokenizer.Calls);
    }

    [Fact]
    public async Task Batch_KeepsOrder_BoundsConcurrency_AndReportsPerItemErrors()
    {
        var client = Client();
        fixture.Deid.Handler = async (context, body) =>
        {
            await Task.Delay(20, context.RequestAborted);
            if (body.Contains("FAIL", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 500;
                return;
            }

            await FakeServices.Deid(context, body);
        };
        var notes = Enumerable.Range(0, 10).Select(i => new { text = i % 4 == 3 ? $"note {i} FAIL" : i % 2 == 0 ? $"note {i} good" : $"note {i} bad" }).ToArray();

        var response = await client.PostAsJsonAsync("/v1/notes/analyze-batch", new { notes }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["results"]!.AsArray();
        Assert.Equal(10, results.Count);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(i, (int)results[i]!["index"]!);
            if (i % 4 == 3)
            {
                Assert.Equal(503, (int)results[i]!["error"]!["status"]!);
                Assert.Null(results[i]!["result"]);
            }
            else
            {
                Assert.Equal(i % 2 == 0 ? "POSITIVE" : "NEGATIVE", (string?)results[i]!["result"]!["label"]);
                Assert.Equal($"note {i} {(i % 2 == 0 ? "good" : "bad")}", (string?)results[i]!["result"]!["deidentified"]!["text"]);
            }
        }

        Assert.InRange(fixture.Deid.MaxConcurrent, 1, 2);
        Assert.Equal(8, fixture.Tokenizer.Calls);
    }

    [Fact]
    public async Task PhiNeverAppearsInLogs()
    {
        var client = Client();
        await client.PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(), Ct);
        fixture.Deid.Handler = FakeServices.Status(500);
        await client.PostAsJsonAsync("/v1/notes/analyze", CanaryRequest(), Ct);
        await client.PostAsync("/v1/notes/analyze", new StringContent($"{{\"text\": 5, \"{CanaryName}\": 1}}", Encoding.UTF8, "application/json"), Ct);
        await client.PostAsync("/v1/notes/analyze", new StringContent($"{{\"text\": \"{CanaryName}", Encoding.UTF8, "application/json"), Ct);

        Assert.NotEmpty(fixture.App.Logs.Lines);
        foreach (var line in fixture.App.Logs.Lines)
        {
            Assert.DoesNotContain(CanaryName, line, StringComparison.Ordinal);
            Assert.DoesNotContain(CanarySsn, line, StringComparison.Ordinal);
        }
    }
}
