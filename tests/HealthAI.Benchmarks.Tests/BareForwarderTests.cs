using System.Net;
using System.Text;
using HealthAI.Benchmarks.Gateway;
using HealthAI.Benchmarks.Load.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HealthAI.Benchmarks.Tests;

/// <summary>The forwarding benchmark's .NET floor must really forward, or its CPU per request would flatter the runtime.</summary>
public class BareForwarderTests
{
    [Fact]
    public async Task ForwardsMethodPathQueryHeadersAndStreamedBodyBothWays()
    {
        string? seen = null;
        await using var backend = await LoopbackServer.StartAsync(app => app.MapPut("/v1/things/{id}", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var headers = context.Request.Headers;
            seen = $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} x-test={headers["X-Test"]} keep-alive={headers.ContainsKey("Keep-Alive")} type={headers.ContentType} body={body}";
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.Headers["X-Backend"] = "yes";
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("echo:" + body, context.RequestAborted);
        }));
        await using var forwarder = await StartForwarderAsync(backend.Address);
        using var client = new HttpClient();
        // A body of unknown length goes out chunked: the forwarder must stream it rather than rely on Content-Length.
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"n\":1}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(forwarder.Address, "/v1/things/42?x=1&y=two")) { Content = content };
        request.Headers.Add("X-Test", "abc");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("yes", Assert.Single(response.Headers.GetValues("X-Backend")));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("echo:{\"n\":1}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("PUT /v1/things/42?x=1&y=two x-test=abc keep-alive=False type=application/json body={\"n\":1}", seen);
    }

    [Fact]
    public async Task AnUnreachableBackendIsABadGateway()
    {
        Uri closed;
        await using (var gone = await LoopbackServer.StartAsync(_ => { }))
        {
            closed = gone.Address;
        }

        await using var forwarder = await StartForwarderAsync(closed);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(forwarder.Address, "/anything"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public void IsAHiddenCommandOfTheBenchmarksExecutable()
    {
        Assert.True(BenchmarkCli.Handles([BareForwarder.CommandName, "--listen", "http://127.0.0.1:1", "--backend", "http://127.0.0.1:2"]));
        Assert.False(BenchmarkCli.Handles(["--filter", "*GatewayForwarding*"]));
    }

    [Theory]
    [InlineData("nope", "http://127.0.0.1:2")]
    [InlineData("http://127.0.0.1:1", "ftp://127.0.0.1:2")]
    public async Task AnAddressThatIsNoHttpUrlIsAUsageError(string listen, string backend) =>
        Assert.Equal(2, await BenchmarkCli.RunAsync([BareForwarder.CommandName, "--listen", listen, "--backend", backend], TestContext.Current.CancellationToken));

    private static async Task<RunningForwarder> StartForwarderAsync(Uri backend)
    {
        var app = BareForwarder.Create(new Uri("http://127.0.0.1:0"), backend);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new RunningForwarder(app, new Uri(app.Urls.First()));
    }

    private sealed record RunningForwarder(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
