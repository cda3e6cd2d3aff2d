using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// Chunked request bodies (what HttpClient sends for content of unknown length, PostAsJsonAsync among them) on a real Kestrel
/// gateway: served at the connection when the forwarder understands them whole, otherwise the pipeline's answer.
/// </summary>
public class ChunkedRequestForwardingTests : ForwardingDestinations
{
    [Fact]
    public async Task HttpClients_chunked_body_is_served_at_the_connection_and_sent_on_chunked()
    {
        await using var gateway = await StartGatewayAsync(Deid);
        using var client = gateway.CreateClient(TestTokens.Create(subject: "chunked-client"));
        const string body = "{\"text\":\"Seen in clinic today.\"}";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/deidentify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DeidAnswer, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
        Assert.Empty(gateway.HandOvers);
        var sent = Assert.Single(Deid.Requests);
        Assert.Equal(body, sent.Body);
        Assert.Equal("chunked", sent.Headers["Transfer-Encoding"]);
        Assert.False(sent.Headers.ContainsKey("Content-Length"));
        var record = JsonNode.Parse(Assert.Single(await gateway.ReadAuditAsync(1, Ct)))!;
        Assert.Equal(("chunked-client", 200), ((string?)record["subject"], (int)record["status"]!));
    }

    [Fact]
    public async Task A_chunked_body_that_arrives_in_pieces_is_forwarded_whole_and_the_next_request_follows()
    {
        await using var gateway = await StartGatewayAsync(Deid);
        var token = TestTokens.Create();
        using var connection = await RawHttpConnection.OpenAsync(gateway.Address, Ct);

        await connection.SendAsync($"POST /v1/deidentify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", Ct);
        foreach (var piece in new[] { "9\r\n{\"text\":\"", "\r\na;note=1\r\n0123456789", "\r\n2\r\n\"}\r", "\n0\r", "\n\r\n" })
        {
            await Task.Delay(20, Ct);
            await connection.SendAsync(piece, Ct);
        }

        await connection.SendAsync($"GET /v2/models/m HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n", Ct);
        var first = await connection.ReadResponseAsync(Ct);
        var second = await connection.ReadResponseAsync(Ct);

        Assert.Equal((200, DeidAnswer), (first.Status, first.Body));
        Assert.Equal(200, second.Status);
        Assert.Equal(new[] { 200, 200 }, await gateway.ForwardedAsync(2, Ct));
        Assert.Empty(gateway.HandOvers);
        Assert.Equal("{\"text\":\"0123456789\"}", Assert.Single(Deid.Requests).Body);
    }

    [Theory]
    // Decoded data over the route's 256 KiB: the pipeline's 413.
    [InlineData("application/json", "40001\r\n{LARGE}\r\n0\r\n\r\n", "limits", 413)]
    // A body of the wrong type, even an empty one: the pipeline's 415.
    [InlineData("image/png", "0\r\n\r\n", "limits", 415)]
    // Broken framing: Kestrel's 400.
    [InlineData("application/json", "2\r\n{}XX0\r\n\r\n", "request", 400)]
    // Trailer fields: the pipeline forwards the request.
    [InlineData("application/json", "2\r\n{}\r\n0\r\nX-Checksum: 1\r\n\r\n", "request", 200)]
    public async Task Chunked_bodies_the_forwarder_does_not_take_get_the_pipelines_answer(string contentType, string body, string reason, int status)
    {
        await using var gateway = await StartGatewayAsync(Deid);
        using var connection = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        body = body.Replace("{LARGE}", new string('a', 0x40001), StringComparison.Ordinal);

        await connection.SendAsync($"POST /v1/deidentify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TestTokens.Create()}\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\n\r\n{body}", Ct);
        var answer = await connection.ReadResponseAsync(Ct);

        Assert.Equal(status, answer.Status);
        Assert.Equal([reason], gateway.HandOvers);
        Assert.Empty(gateway.Forwarded);
        Assert.Equal(status == 200 ? 1 : 0, Deid.Requests.Count);
    }
}
