using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace HealthAI.Deid.Tests;

public sealed class ServiceTests : IClassFixture<ServiceTests.Server>
{
    // Canary PHI: values that must never show up in a log line or an error body.
    private const string CanaryName = "Zorvath Quillfeather";
    private const string CanaryMrn = "MRN-CANARY-77123";

    private readonly Server _server;

    public ServiceTests(Server server) => _server = server;

    public sealed class Server : IDisposable
    {
        public Server()
        {
            Factory = new DeidServiceFactory(settings: new Dictionary<string, string?>
            {
                ["HealthAI:Deid:SurrogateKey"] = DeidServiceFactory.TestKey,
                ["HealthAI:Deid:MaxTextLength"] = "5000",
                ["HealthAI:Deid:MaxBatchItems"] = "4",
                ["HealthAI:Deid:MaxRequestBytes"] = "20000",
            });
            Factory.StartServer();
            Client = Factory.CreateClient();
        }

        public DeidServiceFactory Factory { get; }

        public HttpClient Client { get; }

        public void Dispose()
        {
            Client.Dispose();
            Factory.Dispose();
        }
    }

    [Fact]
    public async Task Deidentify_returns_text_and_entities_with_original_offsets()
    {
        const string text = "Seen by Dr. Halvorsen on 7/22, call 410-555-0199.";
        var response = await _server.Client.PostAsJsonAsync("/v1/deidentify", new { text, mode = "placeholder" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http", response.RequestMessage!.RequestUri!.Scheme);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Seen by Dr. [NAME] on [DATE], call [PHONE].", json.RootElement.GetProperty("text").GetString());
        var entities = json.RootElement.GetProperty("entities").EnumerateArray().ToList();
        Assert.Equal(3, entities.Count);
        var phone = entities.Single(e => e.GetProperty("type").GetString() == "PHONE");
        Assert.Equal("410-555-0199", text[phone.GetProperty("start").GetInt32()..phone.GetProperty("end").GetInt32()]);
        Assert.Equal("[PHONE]", phone.GetProperty("replacement").GetString());
    }

    [Fact]
    public async Task Known_patient_phi_is_removed_in_surrogate_mode_without_reaching_logs()
    {
        var text = $"{CanaryName} ({CanaryMrn}) reports feeling well. QUILLFEATHER, ZORVATH ambulating.";
        var response = await _server.Client.PostAsJsonAsync("/v1/deidentify",
            new { text, mode = "surrogate", patient = new { name = CanaryName, mrn = CanaryMrn, birthDate = "1950-03-04" } },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("Quillfeather", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Zorvath", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("CANARY", body, StringComparison.Ordinal);
        AssertNoCanaryInLogs();
    }

    [Fact]
    public async Task Batch_returns_one_result_per_item_in_order()
    {
        var response = await _server.Client.PostAsJsonAsync("/v1/deidentify-batch",
            new { items = new object[] { new { text = "wife Mary called" }, new { text = "no phi here", mode = "mask" } } },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal("wife [NAME] called", results[0].GetProperty("text").GetString());
        Assert.Equal("no phi here", results[1].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("{\"text\": \"Zorvath Quillfeather", HttpStatusCode.BadRequest)]
    [InlineData("{\"mode\": \"placeholder\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"text\": \"Zorvath Quillfeather\", \"mode\": \"shred\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"text\": \"Zorvath Quillfeather\", \"patient\": {\"birthDate\": \"Zorvath\"}}", HttpStatusCode.BadRequest)]
    [InlineData("[1, 2, 3]", HttpStatusCode.BadRequest)]
    public async Task Malformed_requests_get_400_problem_details_without_the_text(string json, HttpStatusCode expected)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await _server.Client.PostAsync("/v1/deidentify", content, TestContext.Current.CancellationToken);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("Zorvath", body, StringComparison.Ordinal);
        Assert.Contains("requestId", body, StringComparison.Ordinal);
        AssertNoCanaryInLogs();
    }

    [Fact]
    public async Task Oversized_text_body_and_batch_get_413()
    {
        var longText = await _server.Client.PostAsJsonAsync("/v1/deidentify", new { text = new string('a', 6000) }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, longText.StatusCode);

        var hugeBody = await _server.Client.PostAsJsonAsync("/v1/deidentify", new { text = "x", pad = new string('a', 30000) }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeBody.StatusCode);

        var items = Enumerable.Range(0, 5).Select(_ => new { text = "x" }).ToArray();
        var bigBatch = await _server.Client.PostAsJsonAsync("/v1/deidentify-batch", new { items }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bigBatch.StatusCode);
    }

    [Fact]
    public async Task Non_json_content_gets_415()
    {
        using var content = new StringContent("text=Zorvath", Encoding.UTF8, "text/plain");
        var response = await _server.Client.PostAsync("/v1/deidentify", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public void Start_up_fails_outside_development_without_a_key_naming_it()
    {
        using var factory = new DeidServiceFactory("Production", new Dictionary<string, string?>());
        var error = Record.Exception(() => factory.StartServer());
        Assert.NotNull(error);
        Assert.Contains("HealthAI:Deid:SurrogateKey", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_up_fails_on_a_short_key()
    {
        using var factory = new DeidServiceFactory("Production", new Dictionary<string, string?> { ["HealthAI:Deid:SurrogateKey"] = Convert.ToBase64String(new byte[8]) });
        var error = Record.Exception(() => factory.StartServer());
        Assert.Contains("HealthAI:Deid:SurrogateKey", error?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_uses_a_random_key_with_a_warning()
    {
        using var factory = new DeidServiceFactory("Development", new Dictionary<string, string?>());
        factory.StartServer();
        using var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/v1/deidentify", new { text = "Dr. Halvorsen", mode = "surrogate" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(factory.Logs.Lines, l => l.Contains("random per-process key", StringComparison.Ordinal));
    }

    private void AssertNoCanaryInLogs()
    {
        foreach (var line in _server.Factory.Logs.Lines)
        {
            Assert.DoesNotContain("Zorvath", line, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Quillfeather", line, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("CANARY", line, StringComparison.Ordinal);
        }
    }
}
