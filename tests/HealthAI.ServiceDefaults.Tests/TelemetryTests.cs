using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace HealthAI.ServiceDefaults.Tests;

// ActivitySource listeners are process-wide: these tests run alone so no other test's spans reach their capture.
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    private sealed class CapturingProcessor : BaseProcessor<Activity>
    {
        public ConcurrentQueue<Activity> Ended { get; } = new();

        public override void OnEnd(Activity data) => Ended.Enqueue(data);

        /// <summary>
        /// The server span ends after the response is written, so the client can see the answer first: wait for the spans.
        /// </summary>
        public async Task<List<Activity>> ServerSpansAsync(int expected)
        {
            for (var i = 0; i < 200 && Ended.Count(a => a.Kind == ActivityKind.Server) < expected; i++)
            {
                await Task.Delay(25, TestContext.Current.CancellationToken);
            }

            return Ended.Where(a => a.Kind == ActivityKind.Server).ToList();
        }
    }

    /// <summary>A service with the defaults on a TestServer, every span it ends kept by a capture processor.</summary>
    private static async Task<(WebApplication App, CapturingProcessor Capture)> StartWithCaptureAsync(Action<WebApplication> map)
    {
        var capture = new CapturingProcessor();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<BaseProcessor<Activity>>(capture);
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        map(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return (app, capture);
    }

    [Fact]
    public async Task Probe_requests_are_not_recorded_but_api_requests_are()
    {
        var (app, capture) = await StartWithCaptureAsync(a => a.MapGet("/api/thing", () => Results.Ok()));
        await using var _app = app;
        var client = app.GetTestClient();

        await client.GetAsync("/alive", TestContext.Current.CancellationToken);
        await client.GetAsync("/health", TestContext.Current.CancellationToken);
        await client.GetAsync("/api/thing", TestContext.Current.CancellationToken);

        var serverSpans = await capture.ServerSpansAsync(3);
        Assert.Equal(3, serverSpans.Count);
        Assert.Single(serverSpans, a => a.Recorded);
        Assert.Equal(2, serverSpans.Count(a => !a.Recorded && a.GetTagItem("healthai.probe") is true));
    }

    [Fact]
    public async Task Problem_request_id_is_the_trace_id_of_the_request()
    {
        var (app, capture) = await StartWithCaptureAsync(a => a.MapGet("/missing", () => Results.NotFound()));
        await using var _app = app;

        var body = await app.GetTestClient().GetStringAsync("/health", TestContext.Current.CancellationToken);
        var response = await app.GetTestClient().GetAsync("/missing", TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Healthy", body);
        var span = Assert.Single(await capture.ServerSpansAsync(2), a => a.Recorded);
        Assert.Contains(span.TraceId.ToHexString(), problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_exporter_requests_are_not_recorded_but_their_trace_context_still_flows()
    {
        // A real loopback peer that reports the headers of the one request it answers.
        using var peer = new TcpListener(IPAddress.Loopback, 0);
        peer.Start();
        var peerHeaders = AnswerOnceAsync(peer);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        Activity? server = null;
        app.MapGet("/call", async () =>
        {
            server = Activity.Current;
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)peer.LocalEndpoint).Port}/next"));
            return Results.Ok();
        });
        await app.StartAsync(TestContext.Current.CancellationToken);

        var answer = await app.GetTestClient().GetAsync("/call", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.NotNull(server);
        Assert.False(server.Recorded);
        Assert.False(server.IsAllDataRequested);
        var traceparent = (await peerHeaders).Split("\r\n").Single(h => h.StartsWith("traceparent:", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(server.TraceId.ToHexString(), traceparent, StringComparison.Ordinal);
    }

    private static async Task<string> AnswerOnceAsync(TcpListener listener)
    {
        using var socket = await listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        return received.ToString();
    }

    [Fact]
    public void Otlp_settings_are_read_from_the_standard_variables_and_validated()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "deid",
        }).Build();

        var settings = OtlpSettings.FromConfiguration(configuration, "HealthAI.Deid");
        var none = OtlpSettings.FromConfiguration(new ConfigurationBuilder().Build(), "HealthAI.Deid");
        var bad = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("OTEL_EXPORTER_OTLP_PROTOCOL", (string?)"carrier-pigeon")]).Build();

        Assert.Equal("deid", settings.ServiceName);
        Assert.Equal(OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf, settings.Protocol);
        Assert.Null(none.Endpoint);
        Assert.Equal("HealthAI.Deid", none.ServiceName);
        var error = Assert.Throws<InvalidOperationException>(() => OtlpSettings.FromConfiguration(bad, "x"));
        Assert.Contains("OTEL_EXPORTER_OTLP_PROTOCOL", error.Message, StringComparison.Ordinal);
    }
}
