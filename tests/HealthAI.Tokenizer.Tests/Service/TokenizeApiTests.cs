using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HealthAI.Tokenizer.Tests.WordPiece;
using HealthAI.Tokenizer.WordPiece.Batching;

namespace HealthAI.Tokenizer.Tests.Service;

public sealed class TokenizeApiTests : IAsyncLifetime
{
    private const string Canary = "CANARY-7731 Jane Q. Patient MRN 55512345";
    private readonly TokenizerServiceFactory _factory = new(new Dictionary<string, string?>
    {
        ["HealthAI:Tokenizer:MaxTextLength"] = "20000",
        ["services:triton:http:0"] = "http://127.0.0.1:9", // nothing listens: the model is never ready in these tests
    });

    private HttpClient _client = null!;

    public async ValueTask InitializeAsync() => _client = await _factory.CreateReadyClientAsync();

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Tokenize_returns_the_library_ids_for_every_text_in_order()
    {
        var texts = Vectors.Reference.Select(v => v.Text).Where(t => t.Length < 20000).Take(200).ToArray();
        var response = await PostAsync("/v1/tokenize", new { texts });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var ids = body.GetProperty("inputIds").EnumerateArray().ToArray();
        var masks = body.GetProperty("attentionMask").EnumerateArray().ToArray();
        Assert.Equal(texts.Length, ids.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = new long[512];
            var count = Vectors.TextOnly.Encode(texts[i], expected);
            Assert.Equal(expected[..count], ids[i].EnumerateArray().Select(e => e.GetInt64()));
            Assert.All(masks[i].EnumerateArray(), m => Assert.Equal(1, m.GetInt64()));
        }
    }

    [Fact]
    public async Task Bucket_padding_pads_every_row_to_one_bucket_with_zero_mask()
    {
        var response = await PostAsync("/v1/tokenize", new { texts = new[] { "pt stable", "bp 120/80, hr 72, afebrile overnight" }, padding = "bucket" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var rows = body.GetProperty("inputIds").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt64()).ToArray()).ToArray();
        var masks = body.GetProperty("attentionMask").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt64()).ToArray()).ToArray();

        Assert.All(rows, r => Assert.Equal(16, r.Length));
        Assert.Equal([101, 13866, 6540, 102], rows[0][..4]);
        Assert.Equal(4, masks[0].Sum());
        Assert.All(rows[0][4..], id => Assert.Equal(0, id));
    }

    [Fact]
    public async Task Null_max_length_means_no_truncation_and_absent_means_the_configured_512()
    {
        var note = Vectors.Reference.First(v => v.IdsTextOnly.Length > 600);
        var untruncated = await PostAsync("/v1/tokenize", new { texts = new[] { note.Text }, maxLength = (int?)null });
        var byDefault = await PostAsync("/v1/tokenize", new { texts = new[] { note.Text } });

        Assert.Equal(note.IdsTextOnly.Length, await RowLength(untruncated));
        Assert.Equal(512, await RowLength(byDefault));
    }

    [Fact]
    public async Task Special_token_text_in_a_note_is_not_a_separator()
    {
        var response = await PostAsync("/v1/tokenize", new { texts = new[] { "hello [SEP] world" } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var ids = body.GetProperty("inputIds")[0].EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal([101, 7592, 1031, 19802, 1033, 2088, 102], ids);
    }

    [Theory]
    [InlineData("""{"texts": []}""", 400)]
    [InlineData("""{}""", 400)]
    [InlineData("""{"texts": ["a", null]}""", 400)]
    [InlineData("""{"texts": ["a"], "padding": "left"}""", 400)]
    [InlineData("""{"texts": ["a"], "maxLength": 1}""", 400)]
    [InlineData("""{"texts": ["a"], "maxLength": "x"}""", 400)]
    [InlineData("""{"texts": "not an array"}""", 400)]
    [InlineData("""{"texts": [""" + "\"unterminated", 400)]
    public async Task Bad_requests_get_a_400_problem_with_request_id(string json, int status)
    {
        var response = await _client.PostAsync("/v1/tokenize", new StringContent(json, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, status);
    }

    [Fact]
    public async Task Too_many_texts_is_413()
    {
        var response = await PostAsync("/v1/tokenize", new { texts = Enumerable.Repeat("pt stable", 257).ToArray() });
        await AssertProblemAsync(response, 413);
    }

    [Fact]
    public async Task A_text_over_the_length_limit_is_413_and_the_problem_does_not_quote_it()
    {
        var text = string.Concat(Enumerable.Repeat(Canary + " ", 1000));
        var response = await PostAsync("/v1/tokenize", new { texts = new[] { "ok", text } });
        var problem = await AssertProblemAsync(response, 413);
        Assert.Contains("texts[1]", problem);
        Assert.DoesNotContain("CANARY", problem);
    }

    [Fact]
    public async Task Note_text_never_reaches_the_logs()
    {
        await PostAsync("/v1/tokenize", new { texts = new[] { Canary }, padding = "bucket" });
        await PostAsync("/v1/tokenize", new { texts = new[] { Canary }, padding = "sideways" });
        await PostAsync("/v1/classify", new { texts = new[] { Canary } });
        await _client.PostAsync("/v1/tokenize", new StringContent("{\"texts\": [\"" + Canary, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        Assert.NotEmpty(_factory.Logs.Lines);
        Assert.DoesNotContain(_factory.Logs.Lines, l => l.Contains("CANARY", StringComparison.Ordinal) || l.Contains("55512345", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_is_not_ready_while_the_model_is_not_ready_on_triton()
    {
        var response = await _client.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/alive", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Classify_fails_closed_with_503_when_triton_is_unreachable()
    {
        var response = await PostAsync("/v1/classify", new { texts = new[] { "pt stable" } });
        await AssertProblemAsync(response, 503);
    }

    [Fact]
    public void Bucket_selection_is_exposed_for_the_padding_contract() => Assert.Equal(16, LengthBuckets.Select(4));

    private Task<HttpResponseMessage> PostAsync(string path, object body) =>
        _client.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);

    private static async Task<int> RowLength(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("inputIds")[0].GetArrayLength();
    }

    internal static async Task<string> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("requestId").GetString()));
        return text;
    }
}

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("HealthAI:Tokenizer:MaxLength", "1024", "HealthAI:Tokenizer:MaxLength")]
    [InlineData("HealthAI:Tokenizer:VocabPath", "/nonexistent/vocab.txt", "HealthAI:Tokenizer:VocabPath")]
    [InlineData("HealthAI:Tokenizer:ModelVersion", "latest", "HealthAI:Tokenizer:ModelVersion")]
    [InlineData("HealthAI:Tokenizer:MaxTexts", "1000", "HealthAI:Tokenizer:MaxTexts")]
    public async Task Bad_configuration_stops_start_up_naming_the_key(string key, string value, string named)
    {
        await using var factory = new TokenizerServiceFactory(new Dictionary<string, string?> { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains(named, error.ToString());
    }
}
