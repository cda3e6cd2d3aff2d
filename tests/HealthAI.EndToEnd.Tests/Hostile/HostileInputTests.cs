using System.Net.Sockets;
using System.Text;
using HealthAI.EndToEnd.Tests.Infrastructure;

namespace HealthAI.EndToEnd.Tests.Hostile;

/// <summary>
/// Hostile requests against every route of every service. The rule: the right 4xx (or a 2xx where the input is odd but
/// valid), never a 5xx, never a hang, and every service still healthy afterwards.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class HostileInputTests(SystemFixture system)
{
    public static TheoryData<string, string, string> Bodies()
    {
        var data = new TheoryData<string, string, string>();
        string[] routes = ["gateway:/v1/notes/analyze", "gateway:/v1/notes/analyze-batch", "gateway:/v1/deidentify",
            "deid:/v1/deidentify", "deid:/v1/deidentify-batch", "tokenizer:/v1/tokenize", "tokenizer:/v1/classify",
            "triton:/v2/models/distilbert-sst2/infer"];
        var bodies = new Dictionary<string, string>
        {
            ["invalid json"] = "{\"text\": \"unterminated",
            ["wrong type"] = "{\"text\": 12345, \"texts\": 7, \"notes\": \"x\", \"items\": 3, \"inputs\": \"y\"}",
            ["array root"] = "[1,2,3]",
            ["deep nesting"] = new string('[', 5_000) + new string(']', 5_000),
            ["huge number"] = "{\"text\": \"a\", \"maxLength\": 1e999999, \"texts\": [\"a\"], \"inputs\": [{\"name\":\"input_ids\",\"shape\":[99999999999999999999],\"datatype\":\"INT64\",\"data\":[1]}]}",
            ["nul bytes"] = "{\"text\": \"a\\u0000b\", \"texts\": [\"a\\u0000b\"], \"items\": [{\"text\": \"\\u0000\"}], \"notes\": [{\"text\": \"\\u0000\"}]}",
            ["lone surrogate"] = "{\"text\": \"a\\ud800b\", \"texts\": [\"\\udc00\"], \"items\": [{\"text\": \"\\ud800\"}], \"notes\": [{\"text\": \"\\udfff\"}]}",
            ["empty text"] = "{\"text\": \"\", \"texts\": [], \"items\": [], \"notes\": []}",
            ["empty body"] = "",
            ["many items"] = "{\"texts\": [" + string.Join(',', Enumerable.Repeat("\"a\"", 10_000)) + "], \"items\": [" +
                string.Join(',', Enumerable.Repeat("{\"text\":\"a\"}", 10_000)) + "], \"notes\": [" +
                string.Join(',', Enumerable.Repeat("{\"text\":\"a\"}", 10_000)) + "]}",
            ["wrong shape"] = "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 3], \"datatype\": \"INT64\", \"data\": [1, 2]}]}",
            ["wrong datatype"] = "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [1.5, 2.5]}, {\"name\": \"attention_mask\", \"shape\": [1, 2], \"datatype\": \"BOOL\", \"data\": [true, true]}]}",
            ["unknown input"] = "{\"inputs\": [{\"name\": \"../../etc/passwd\", \"shape\": [1, 1], \"datatype\": \"INT64\", \"data\": [1]}]}",
        };
        foreach (var route in routes)
        {
            foreach (var (name, body) in bodies)
            {
                data.Add(route, name, body);
            }
        }

        return data;
    }

    private Uri Base(string service) => service switch
    {
        "gateway" => system.GatewayAddress,
        "deid" => system.DeidAddress,
        "tokenizer" => system.TokenizerAddress,
        "triton" => system.TritonHttpAddress,
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Hostile_bodies_get_a_4xx_or_a_valid_answer_never_a_5xx(string route, string name, string body)
    {
        var ct = TestContext.Current.CancellationToken;
        var (service, path) = (route[..route.IndexOf(':')], route[(route.IndexOf(':') + 1)..]);
        using var client = service == "gateway" ? system.CreateAuthorizedClient() : new HttpClient { BaseAddress = Base(service) };
        client.Timeout = TimeSpan.FromSeconds(30);

        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new("application/json");
        using var response = await client.PostAsync(path, content, ct);

        Assert.True((int)response.StatusCode < 500, $"{route} answered {(int)response.StatusCode} to '{name}': {await response.Content.ReadAsStringAsync(ct)}");
    }

    [Theory]
    [InlineData("gateway:/v1/notes/analyze")]
    [InlineData("deid:/v1/deidentify")]
    [InlineData("tokenizer:/v1/tokenize")]
    [InlineData("triton:/v2/models/distilbert-sst2/infer")]
    public async Task Invalid_utf8_and_oversized_bodies_are_rejected(string route)
    {
        var ct = TestContext.Current.CancellationToken;
        var (service, path) = (route[..route.IndexOf(':')], route[(route.IndexOf(':') + 1)..]);
        using var client = service == "gateway" ? system.CreateAuthorizedClient() : new HttpClient { BaseAddress = Base(service) };

        // Invalid UTF-8 inside every string a route reads: JSON must be UTF-8 (RFC 8259).
        byte[] invalid = [0xC3, 0x28, 0xFF, 0xFE];
        byte[] invalidUtf8 = [.. "{\"text\": \""u8, .. invalid, .. "\", \"texts\": [\""u8, .. invalid, .. "\"]}"u8];
        using var bad = new ByteArrayContent(invalidUtf8);
        bad.Headers.ContentType = new("application/json");
        using var badResponse = await client.PostAsync(path, bad, ct);
        Assert.True((int)badResponse.StatusCode is >= 400 and < 500, $"invalid UTF-8 got {(int)badResponse.StatusCode}");

        foreach (var megabytes in new[] { 1, 10 })
        {
            var text = new string('a', megabytes * 1024 * 1024);
            using var big = new StringContent($"{{\"text\": \"{text}\", \"texts\": [\"{text}\"]}}", Encoding.UTF8, "application/json");
            using var bigResponse = await client.PostAsync(path, big, ct);
            Assert.True((int)bigResponse.StatusCode is >= 400 and < 500, $"{megabytes} MB got {(int)bigResponse.StatusCode}");
        }
    }

    [Theory]
    [InlineData("/v2/models/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/v2/models/%2e%2e/%2e%2e/etc/passwd/ready")]
    [InlineData("/v2/models/distilbert-sst2/versions/..%2F1")]
    [InlineData("/v2/models/distilbert-sst2/versions/-1/ready")]
    public async Task Path_traversal_in_model_names_is_a_4xx(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        using var gateway = system.CreateAuthorizedClient();
        using var direct = new HttpClient { BaseAddress = system.TritonHttpAddress };

        foreach (var client in new[] { gateway, direct })
        {
            using var response = await client.GetAsync(path, ct);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{client.BaseAddress}{path} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Header_flood_is_refused_with_a_4xx()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var address in new[] { system.GatewayAddress, system.DeidAddress, system.TokenizerAddress, system.TritonHttpAddress })
        {
            using var client = new HttpClient { BaseAddress = address };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
            for (var i = 0; i < 2_000; i++)
            {
                request.Headers.TryAddWithoutValidation($"X-Flood-{i}", new string('x', 64));
            }

            using var response = await client.SendAsync(request, ct);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{address} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Slow_loris_body_is_cut_off_without_harming_the_service()
    {
        var ct = TestContext.Current.CancellationToken;
        using var socket = new TcpClient();
        await socket.ConnectAsync(system.DeidAddress.Host, system.DeidAddress.Port, ct);
        var stream = socket.GetStream();
        var head = "POST /v1/deidentify HTTP/1.1\r\nHost: deid\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"text\":\""u8.ToArray();
        await stream.WriteAsync(head, ct);

        // A byte a second, far below Kestrel's minimum body data rate: the server must give up on us, not the other way round.
        var closed = false;
        var buffer = new byte[4096];
        for (var second = 0; second < 25 && !closed; second++)
        {
            try
            {
                await stream.WriteAsync("a"u8.ToArray(), ct);
                if (socket.Available > 0)
                {
                    closed = await stream.ReadAsync(buffer, ct) >= 0;
                    break;
                }
            }
            catch (IOException)
            {
                closed = true;
            }

            await Task.Delay(1_000, ct);
        }

        Assert.True(closed, "the server kept a slow-loris connection open for 25 s");
        await system.WaitHealthyAsync(system.DeidAddress, system.Deid, ct);
    }

    [Fact]
    public async Task Every_service_is_still_healthy_after_the_hostile_corpus()
    {
        var ct = TestContext.Current.CancellationToken;
        await system.WaitHealthyAsync(system.GatewayAddress, system.Gateway, ct);
        await system.WaitHealthyAsync(system.DeidAddress, system.Deid, ct);
        await system.WaitHealthyAsync(system.TokenizerAddress, system.Tokenizer, ct);
        await system.WaitHealthyAsync(system.TritonHttpAddress, system.Triton, ct, "/v2/health/ready");
        Assert.All(system.Processes, p => Assert.False(p.HasExited, $"{p.Name} exited"));
    }
}
