using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// A destination may send interim answers (103 Early Hints) before its final one. HttpClient drops them for the pipeline's
/// forwarder; the connection-level forwarder drops them too and relays the final answer, whether the two arrive together or
/// apart. The destination here is a raw socket: Kestrel has no API to send a 103.
/// </summary>
public class InterimResponseTests : ForwardingDestinations
{
    private const string EarlyHints = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n";
    private const string Final = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_early_hints_answer_is_dropped_and_the_final_answer_relayed(bool apart)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        var destination = ServeOnceAsync(listener, apart);
        await using var gateway = await StartGatewayAsync(Deid, settings =>
            settings["services:triton:http:0"] = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}");
        using var client = gateway.CreateClient(TestTokens.Create());

        using var response = await client.GetAsync("/v2/models/m", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"ok\":true}", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
        Assert.Empty(gateway.HandOvers);
        await destination.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    private static async Task ServeOnceAsync(Socket listener, bool apart)
    {
        using var connection = await listener.AcceptAsync(Ct);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await connection.ReceiveAsync(buffer, SocketFlags.None, Ct);
            Assert.True(read > 0, "the gateway closed before sending its request");
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        if (apart)
        {
            await connection.SendAsync(Encoding.ASCII.GetBytes(EarlyHints), SocketFlags.None, Ct);
            // Let the hint arrive on its own, so the forwarder must read again for the final answer.
            await Task.Delay(100, Ct);
            await connection.SendAsync(Encoding.ASCII.GetBytes(Final), SocketFlags.None, Ct);
        }
        else
        {
            await connection.SendAsync(Encoding.ASCII.GetBytes(EarlyHints + Final), SocketFlags.None, Ct);
        }
    }
}
