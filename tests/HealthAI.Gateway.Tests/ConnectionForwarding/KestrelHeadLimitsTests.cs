using System.Globalization;
using System.Net;
using System.Text;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// Kestrel's head limits hold on the connection-level path too, an operator's lower ones included (<c>Kestrel:Limits</c>, bound
/// by the gateway): a head over them is handed to Kestrel, whose answer the client gets, and nothing reaches the destination.
/// (A malformed Host is among the heads in <c>ConnectionForwardingTests</c> that Kestrel rejects.)
/// </summary>
public class KestrelHeadLimitsTests : ForwardingDestinations
{
    [Theory]
    [InlineData("MaxRequestHeaderCount", 10, 20, 431)]
    [InlineData("MaxRequestHeadersTotalSize", 4096, 20, 431)]
    [InlineData("MaxRequestLineSize", 64, 0, 414)]
    public async Task A_head_over_Kestrels_configured_limits_gets_Kestrels_answer(string limit, int value, int extraHeaders, int status)
    {
        await using var gateway = await StartGatewayAsync(Deid, settings => settings[$"Kestrel:Limits:{limit}"] = value.ToString(CultureInfo.InvariantCulture));
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
        await using var gateway = await StartGatewayAsync(Deid, settings => settings["Kestrel:Limits:MaxRequestHeaderCount"] = "10");
        using var client = gateway.CreateClient(TestTokens.Create());

        using var response = await client.PostAsync("/v1/deidentify", new StringContent("{\"text\":\"x\"}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
        Assert.Empty(gateway.HandOvers);
    }
}
