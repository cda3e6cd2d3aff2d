using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HealthAI.Tokenizer.Classification;
using HealthAI.Tokenizer.Tests.WordPiece;

namespace HealthAI.Tokenizer.Tests.Service;

/// <summary>
/// /v1/classify against a KServe v2 JSON endpoint on a real loopback socket (the fake computes logits from the tensors it gets).
/// The end-to-end test against HealthAI.InferenceServer is in InferenceServerEndToEndTests.
/// </summary>
public sealed class ClassifyApiTests : IAsyncLifetime
{
    private readonly FakeKServeServer _triton = new();
    private TokenizerServiceFactory _factory = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync() => await StartAsync(slidingWindow: false);

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _triton.DisposeAsync();
    }

    [Fact]
    public async Task Results_come_back_in_order_with_softmax_scores_and_labels()
    {
        var texts = Vectors.Reference.Select(v => v.Text).Where(t => t.Length is > 0 and < 3000).Take(150).ToArray();
        var response = await _client.PostAsJsonAsync("/v1/classify", new { texts }, TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)
            + string.Join('\n', _factory.Logs.Lines.Where(l => l.Contains("Warn", StringComparison.Ordinal))));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("distilbert-sst2", body.GetProperty("model").GetProperty("name").GetString());
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(texts.Length, results.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            var ids = new long[512];
            var count = Vectors.TextOnly.Encode(texts[i], ids);
            var (negative, positive) = FakeKServeServer.LogitsFor(ids.AsSpan(0, count));
            var expected = TextClassifier.Softmax([negative, positive]);
            var scores = results[i].GetProperty("scores");
            Assert.Equal(expected[0], scores.GetProperty("NEGATIVE").GetDouble(), 6);
            Assert.Equal(expected[1], scores.GetProperty("POSITIVE").GetDouble(), 6);
            Assert.Equal(expected[1] > expected[0] ? "POSITIVE" : "NEGATIVE", results[i].GetProperty("label").GetString());
        }

        // Rows were grouped by length and each call padded to a bucket, in calls of at most MaxBatchSize (64) rows.
        Assert.All(_triton.Shapes, s => Assert.Contains(s[1], new long[] { 16, 32, 64, 128, 256, 512 }));
        Assert.All(_triton.Shapes, s => Assert.InRange(s[0], 1, 64));
        Assert.Equal(texts.Length, _triton.Shapes.Sum(s => s[0]));
    }

    [Theory]
    [InlineData(500, 502)]
    [InlineData(400, 502)]
    [InlineData(503, 503)]
    public async Task Inference_failures_fail_closed_with_a_bounded_problem(int tritonStatus, int expected)
    {
        _triton.FailWithStatus = tritonStatus;
        var response = await _client.PostAsJsonAsync("/v1/classify", new { texts = new[] { "pt stable" } }, TestContext.Current.CancellationToken);
        var problem = await TokenizeApiTests.AssertProblemAsync(response, expected);
        Assert.DoesNotContain("results", problem);
    }

    [Fact]
    public async Task Health_turns_ready_when_the_vocab_is_loaded_and_the_model_is_ready()
    {
        Assert.True(await TokenizerServiceFactory.WaitUntilReadyAsync(_client));
        _triton.ModelReady = false;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _client.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Sliding_window_classifies_a_long_note_as_a_whole()
    {
        await _factory.DisposeAsync();
        _triton.Shapes.Clear();
        await StartAsync(slidingWindow: true);

        var note = Vectors.Reference.First(v => v.IdsTextOnly.Length > 1200);
        var response = await _client.PostAsJsonAsync("/v1/classify", new { texts = new[] { note.Text, "pt stable" } },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Windows of at most 128 ids sharing 32 pieces: every piece of the note reached the model.
        var windows = Vectors.TextOnly.EncodeWindows(note.Text, maxLength: 128, stride: 32);
        Assert.True(windows.Count > 10);
        Assert.Equal(windows.Count + 1, _triton.Shapes.Sum(s => s[0]));

        double negative = 0, positive = 0, weight = 0;
        foreach (var window in windows)
        {
            var (n, p) = FakeKServeServer.LogitsFor([.. window.Select(i => (long)i)]);
            var probabilities = TextClassifier.Softmax([n, p]);
            negative += probabilities[0] * window.Length;
            positive += probabilities[1] * window.Length;
            weight += window.Length;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var scores = body.GetProperty("results")[0].GetProperty("scores");
        Assert.Equal(negative / weight, scores.GetProperty("NEGATIVE").GetDouble(), 6);
        Assert.Equal(positive / weight, scores.GetProperty("POSITIVE").GetDouble(), 6);
    }

    private async Task StartAsync(bool slidingWindow)
    {
        if (_triton.Address is null)
        {
            await _triton.StartAsync("distilbert-sst2");
        }

        _factory = new TokenizerServiceFactory(new Dictionary<string, string?>
        {
            ["services:triton:http:0"] = _triton.Address!.ToString().TrimEnd('/'),
            ["HealthAI:Tokenizer:Protocol"] = "HttpJson",
            ["HealthAI:Tokenizer:MaxLength"] = slidingWindow ? "128" : "512",
            ["HealthAI:Tokenizer:SlidingWindow:Enabled"] = slidingWindow ? "true" : "false",
            ["HealthAI:Tokenizer:SlidingWindow:Stride"] = "32",
            ["HealthAI:Tokenizer:SlidingWindow:MaxWindows"] = "64",
        });
        _client = await _factory.CreateReadyClientAsync();
    }
}
