using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAI.Gateway.Tests;

public sealed class LimitsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client()
    {
        fixture.ResetFakes();
        return fixture.App.CreateClient(TestTokens.Create());
    }

    // A bucket of a few tokens that does not refill during a test: one token per ten minutes.
    private Dictionary<string, string?> SettingsWithBucket(int tokenLimit)
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        settings["Gateway:RateLimiting:TokenLimit"] = tokenLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Gateway:RateLimiting:TokensPerPeriod"] = "1";
        settings["Gateway:RateLimiting:ReplenishmentPeriod"] = "00:10:00";
        return settings;
    }

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    [Fact]
    public async Task RateLimit_Is429_WithRetryAfter_PerClient()
    {
        var settings = SettingsWithBucket(tokenLimit: 2);
        await using var app = new GatewayApp(settings);
        fixture.ResetFakes();
        var first = app.CreateClient(TestTokens.Create(subject: "client-a"));
        var second = app.CreateClient(TestTokens.Create(subject: "client-b"));
        var note = new { text = "fine" };

        Assert.Equal(HttpStatusCode.OK, (await first.PostAsJsonAsync("/v1/notes/analyze", note, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsJsonAsync("/v1/notes/analyze", note, Ct)).StatusCode);
        var limited = await first.PostAsJsonAsync("/v1/notes/analyze", note, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(429, (int)(await ProblemAsync(limited))["status"]!);
        // Another client has its own bucket.
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsJsonAsync("/v1/notes/analyze", note, Ct)).StatusCode);
        // Probes are never limited.
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/alive", Ct)).StatusCode);
    }

    [Fact]
    public async Task RequestsForNoRoute_SpendTheCallersBucket_ButProbesAndTheOpenApiDocumentDoNot()
    {
        // Unlimited 404s would let a client probe paths (and fill the audit trail) at any rate.
        var settings = SettingsWithBucket(tokenLimit: 1);
        await using var app = new GatewayApp(settings);
        var anonymous = app.CreateClient(token: null);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/x1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.GetAsync("/x2", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.DeleteAsync("/v1/notes/analyze", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alive", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json", Ct)).StatusCode);
    }

    [Fact]
    public async Task RateLimit_BucketsAClientIdWithinItsIssuer()
    {
        // The same client id from two accepted issuers is two clients: one must not spend the other's bucket.
        const string issuerB = "https://issuer-b.test.healthai";
        var settings = SettingsWithBucket(tokenLimit: 1);
        var credentialsB = TestTokens.AddSecondIssuer(settings, issuerB);
        await using var app = new GatewayApp(settings);
        fixture.ResetFakes();
        var fromA = app.CreateClient(TestTokens.Create(subject: "shared-id"));
        var fromB = app.CreateClient(TestTokens.Create(subject: "shared-id", issuer: issuerB, credentials: credentialsB));
        var note = new { text = "fine" };

        Assert.Equal(HttpStatusCode.OK, (await fromA.PostAsJsonAsync("/v1/notes/analyze", note, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fromB.PostAsJsonAsync("/v1/notes/analyze", note, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fromA.PostAsJsonAsync("/v1/notes/analyze", note, Ct)).StatusCode);
    }

    [Fact]
    public async Task BodyOverTheRouteLimit_Is413_BeforeDeid()
    {
        var client = Client();
        var text = new string('a', 300 * 1024);

        var response = await client.PostAsJsonAsync("/v1/notes/analyze", new { text }, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("262144", (string?)(await ProblemAsync(response))["detail"], StringComparison.Ordinal);
        Assert.Equal(0, fixture.Deid.Calls);
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_Is413()
    {
        var client = Client();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($"{{\"text\":\"{new string('a', 300 * 1024)}\"}}")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/notes/analyze") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, fixture.Deid.Calls);
        // Found too large only while reading, by an exception: the audit records the 413 the client got, not a 500.
        await fixture.App.Services.GetRequiredService<HealthAI.Gateway.Audit.AuditTrail>().FlushAsync(Ct);
        var record = JsonNode.Parse((await File.ReadAllLinesAsync(fixture.App.AuditPath, Ct))[^1])!;
        Assert.Equal(413, (int)record["status"]!);
        Assert.Equal("rejected", (string?)record["outcome"]);
    }

    [Theory]
    [InlineData("text/plain; charset=utf-16")]
    [InlineData("text/plain; charset=\"UTF-16LE\"")]
    [InlineData("application/json; charset=iso-8859-1")]
    public async Task ACharsetOtherThanUtf8_Is415_AndNothingReachesDeid(string contentType)
    {
        // Read as UTF-8, a UTF-16 note would reach de-identification as "Z\0e\0b..." and keep its names.
        var content = new ByteArrayContent(Encoding.Unicode.GetBytes("Zebulon Quixworth feels good."));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await Client().PostAsync("/v1/notes/analyze", content, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("UTF-8", (string?)(await ProblemAsync(response))["detail"], StringComparison.Ordinal);
        Assert.Equal(0, fixture.Deid.Calls);
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("text/plain; charset=\"UTF-8\"")]
    [InlineData("text/plain; format=flowed; charset=us-ascii")]
    [InlineData("text/plain")]
    public async Task Utf8OrNoCharset_IsAccepted(string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("Feels good."));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await Client().PostAsync("/v1/notes/analyze", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data")]
    public async Task UnsupportedMediaType_Is415_NamingWhatIsSupported(string mediaType)
    {
        var content = new ByteArrayContent([1, 2, 3, 4]);
        content.Headers.ContentType = new(mediaType);

        var response = await Client().PostAsync("/v1/notes/analyze", content, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var detail = (string?)(await ProblemAsync(response))["detail"];
        Assert.Contains("application/json", detail, StringComparison.Ordinal);
        Assert.Contains("text/plain", detail, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Deid.Calls);
    }

    public static TheoryData<string, string> InvalidBodies() => new()
    {
        { "{}", "text" },
        { "{\"text\": \"   \"}", "text" },
        { "{\"text\": 42}", "text" },
        { "{\"text\": \"ok\", \"deid\": {\"mode\": \"shred\"}}", "deid.mode" },
        { "{\"text\": \"ok\", \"patient\": {\"name\": 7}}", "patient.name" },
        { "{\"text\": \"ok\", \"pateint\": {}}", "body" },
        { "{\"text\": \"ok\", \"patient\": {\"nmae\": \"x\"}}", "patient" },
        { "{\"text\": \"ok\"", "body" },
        { "[]", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task InvalidJson_Is400_NamingTheField(string json, string field)
    {
        var response = await Client().PostAsync("/v1/notes/analyze", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ProblemAsync(response))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"expected an error for '{field}', got: {string.Join(", ", errors.Select(e => e.Key))}");
        Assert.Equal(0, fixture.Deid.Calls);
    }

    [Fact]
    public async Task AnUnknownFieldsName_IsNeverQuotedBack()
    {
        // A client may put anything in a member name, a patient's name included.
        const string canary = "Zebulon Quixworth";
        var body = $"{{\"text\":\"ok\",\"{canary}\":1,\"notes\":[]}}";

        var single = await Client().PostAsync("/v1/notes/analyze", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var batch = await Client().PostAsync("/v1/notes/analyze-batch", new StringContent($"{{\"notes\":[{{\"text\":\"ok\",\"{canary}\":1}}]}}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, batch.StatusCode);
        Assert.DoesNotContain(canary, await single.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var batchAnswer = await batch.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(canary, batchAnswer, StringComparison.Ordinal);
        Assert.True(JsonNode.Parse(batchAnswer)!["errors"]!.AsObject().ContainsKey("notes[0]"), batchAnswer);
    }

    [Fact]
    public async Task Batch_OverTheLimit_Is400_OnNotes()
    {
        var notes = Enumerable.Range(0, 65).Select(i => new { text = $"n{i}" }).ToArray();

        var response = await Client().PostAsJsonAsync("/v1/notes/analyze-batch", new { notes }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ProblemAsync(response))["errors"]!.AsObject().ContainsKey("notes"));
    }

    [Fact]
    public async Task Batch_InvalidItem_Is400_NamingTheItemField()
    {
        var response = await Client().PostAsync("/v1/notes/analyze-batch",
            new StringContent("{\"notes\": [{\"text\": \"ok\"}, {\"text\": \"\"}]}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ProblemAsync(response))["errors"]!.AsObject().ContainsKey("notes[1].text"));
        Assert.Equal(0, fixture.Deid.Calls);
    }

    [Fact]
    public async Task UnknownRoute_Is404_ProblemDetails()
    {
        var response = await Client().GetAsync("/v1/nothing-here", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
