using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// Exchanges that end other than by the book: a destination that answers before it has read the whole request, and a request
/// still in flight when the server stops. Both transports must end them the same way.
/// </summary>
public class ExchangeEdgeTests : ForwardingDestinations
{
    [Fact]
    public async Task A_destination_connection_answered_before_the_whole_request_went_is_never_reused_for_another_client()
    {
        using var destination = new EarlyAnsweringDestination();
        await using var gateway = await StartGatewayAsync(Deid, settings => settings["services:deid:http:0"] = $"http://127.0.0.1:{destination.Port}");
        var token = TestTokens.Create();
        var first = $"{{\"text\":\"{new string('a', 250_000)}\"}}";
        const string second = "{\"text\":\"second client canary Ysolde Quarrington\"}";

        using var a = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        await a.SendAsync(Wire.DeidentifyRequest(token, first), Ct);
        Assert.Equal(200, (await a.ReadResponseAsync(Ct)).Status);
        using var b = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        await b.SendAsync(Wire.DeidentifyRequest(token, second), Ct);
        Assert.Equal(200, (await b.ReadResponseAsync(Ct)).Status);

        // The second request goes where a request may start: a connection of its own, or one whose previous request went whole
        // (as on Kestrel's transport, which sends all of a request before it reads the answer), never into the first one's body.
        // The destination answers a head before its body, so the second body may still be on its way.
        var carrying = Assert.Single(await destination.ReceivedAsync("second client canary"), bytes => bytes.Contains("second client canary", StringComparison.Ordinal));
        var before = carrying[..carrying.LastIndexOf("POST /v1/deidentify ", StringComparison.Ordinal)];
        Assert.True(before.Length == 0 || before.EndsWith(first, StringComparison.Ordinal), $"the second request began {before.Length} bytes into a connection");
    }

    [Fact]
    public async Task A_request_in_flight_when_the_server_stops_is_logged_and_audited()
    {
        Deid.Reset(async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var gateway = await StartGatewayAsync(Deid);
        const string body = "{\"text\":\"x\"}";
        using var busy = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        await busy.SendAsync(Wire.DeidentifyRequest(TestTokens.Create(), body), Ct);
        await UntilDeidCalledAsync();

        using var shortStop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await gateway.App.Services.GetRequiredService<IServer>().StopAsync(shortStop.Token);

        Assert.Equal(new[] { 499 }, await gateway.ForwardedAsync(1, Ct));
        Assert.Contains(gateway.App.Logs.Lines, line => line.Contains("RequestCanceled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stop_closes_a_connection_part_way_through_its_request_and_still_answers_the_request_in_flight()
    {
        var release = HoldDeidAnswers();
        await using var gateway = await StartGatewayAsync(Deid);
        using var partial = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        await partial.SendAsync("GET /alive HTTP/1.1\r\nHost: gat", Ct);
        using var busy = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        await busy.SendAsync(Wire.DeidentifyRequest(TestTokens.Create(), "{\"text\":\"x\"}"), Ct);
        await UntilDeidCalledAsync();

        var stopping = gateway.App.Services.GetRequiredService<IServer>().StopAsync(Ct);

        // The half-sent request does not hold the stop up: its connection closes while the other request is still in flight,
        // which then gets its answer.
        Assert.True(await partial.IsClosedByServerAsync(Ct));
        release.SetResult();
        var answer = await busy.ReadResponseAsync(Ct);
        await stopping;
        Assert.Equal(200, answer.Status);
    }

    private static TimeSpan HangGuard => TimeSpan.FromSeconds(30);

    /// <summary>
    /// A raw destination with a small receive window that answers 200 as soon as a request's head arrives, then stops reading
    /// that connection for a while (as a server refusing a body early would), and records every byte per connection.
    /// </summary>
    private sealed class EarlyAnsweringDestination : IDisposable
    {
        private const string Answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly List<MemoryStream> _connections = [];

        public EarlyAnsweringDestination()
        {
            // A small window and segments, inherited by accepted connections: the gateway's send of a large body stops part-way.
            _listener.ReceiveBufferSize = 4096;
            _listener.SetRawSocketOption(6 /* IPPROTO_TCP */, 2 /* TCP_MAXSEG */, BitConverter.GetBytes(536));
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(16);
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        public string[] Received()
        {
            lock (_connections)
            {
                return [.. _connections.Select(bytes => Encoding.Latin1.GetString(bytes.ToArray()))];
            }
        }

        /// <summary>What has arrived, once <paramref name="text"/> is among it (or a bounded wait ran out).</summary>
        public async Task<string[]> ReceivedAsync(string text)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            wait.CancelAfter(HangGuard);
            while (!Received().Any(bytes => bytes.Contains(text, StringComparison.Ordinal)) && !wait.IsCancellationRequested)
            {
                await Task.Delay(10, CancellationToken.None);
            }

            return Received();
        }

        public void Dispose() => _listener.Dispose();

        private async Task AcceptAsync()
        {
            while (true)
            {
                Socket connection;
                try
                {
                    connection = await _listener.AcceptAsync();
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    return;
                }

                var record = new MemoryStream();
                lock (_connections)
                {
                    _connections.Add(record);
                }

                _ = ServeAsync(connection, record);
            }
        }

        private async Task ServeAsync(Socket connection, MemoryStream record)
        {
            using var _ = connection;
            var buffer = new byte[64 * 1024];
            var answered = 0;
            while (true)
            {
                int read;
                try
                {
                    read = await connection.ReceiveAsync(buffer);
                }
                catch (SocketException)
                {
                    return;
                }

                if (read == 0)
                {
                    return;
                }

                string received;
                lock (_connections)
                {
                    record.Write(buffer, 0, read);
                    received = Encoding.Latin1.GetString(record.ToArray());
                }

                var heads = received.Split("POST /v1/deidentify ").Length - 1;
                if (heads > answered)
                {
                    answered = heads;
                    await connection.SendAsync(Encoding.ASCII.GetBytes(Answer));
                    await Task.Delay(1000);
                }
            }
        }
    }
}
