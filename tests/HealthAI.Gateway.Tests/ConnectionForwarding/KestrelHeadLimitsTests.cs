using System.Net;
using System.Text;
using System.Globalization;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// Rules Kestrel applies to a request head hold on the connection-level path too: an operator's lower head limits
/// (<c>Kestrel:Limits</c>, bound by the gateway) and the Host value's syntax. A head outside them is handed to Kestrel, whose answer the client gets,
/// and nothing reaches the destination.
/// </summary>
public sealed class KestrelHeadRulesTests : ForwardingDestinations
{
    [Theory]
    [InlineData("MaxRequestHeaderCount", 10, 20, 431)]
    [InlineData("MaxRequestHeadersTotalSize", 4096, 20, 431)]
    [InlineData("MaxRequestLineSize", 64, 0, 414)]
    public async Task A_head_over_Kestrels_configured_limits_gets_Kestrels_answer(string limit, int value, int extraHeaders, int status)
    {
        await using var gateway = await KestrelGateway.StartAsync(Deid, Triton, settings => settings[$"Kestrel:Limits:{limit}"] = value.ToString(CultureInfo.InvariantCulture));
        using var client = gateway.CreateClient(TestTokens.Create());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/deidentify?padding=" + new string('p', 80))
        {
            Content = new StringContent("{\"text\":\"x\"}", Encoding.UTF8, "application/json"),
        };
        for (var i = 0; i < extraHeaders; i++)
        {
            request.Headers.Add($"X-Padding-{i}", new string('v', 300));
        }

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(["limits"], gateway.HandOvers);
        Assert.Empty(Deid.Requests);
    }

    [Fact]
    public async Task A_head_within_Kestrels_configured_limits_is_still_forwarded_at_the_connection()
    {
        await using var gateway = await KestrelGateway.StartAsync(Deid, Triton, settings => settings["Kestrel:Limits:MaxRequestHeaderCount"] = "10");
        using var client = gateway.CreateClient(TestTokens.Create());

        using var response = await client.PostAsync("/v1/deidentify", new StringContent("{\"text\":\"x\"}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
        Assert.Empty(gateway.HandOvers);
    }

    [Theory]
    [InlineData("a:b")]
    [InlineData("[::1")]
    [InlineData("evil.example:1:2")]
    public async Task A_malformed_Host_gets_Kestrels_400_and_is_not_forwarded(string host)
    {
        await using var gateway = await KestrelGateway.StartAsync(Deid, Triton);
        using var connection = await RawHttpConnection.OpenAsync(gateway.Address, Ct);

        await connection.SendAsync($"GET /v2/models/m HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TestTokens.Create()}\r\n\r\n", Ct);
        var answer = await connection.ReadResponseAsync(Ct);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["request"], gateway.HandOvers);
        Assert.Empty(Triton.Requests);
    }
}
