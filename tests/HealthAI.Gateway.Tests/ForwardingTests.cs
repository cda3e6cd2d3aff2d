using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HealthAI.Gateway.Tests;

public sealed class ForwardingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client(string scopes = "notes.deidentify models.read")
    {
        fixture.ResetFakes();
        return fixture.App.CreateClient(TestTokens.Create(scopes: scopes));
    }

    [Fact]
    public async Task Deidentify_IsForwarded_BodyAndAnswerIntact()
    {
        var client = Client();
        const string body = "{\"text\":\"Seen by Dr Alma Crane, SSN 123-45-6789.\",\"mode\":\"placeholder\"}";

        var response = await client.PostAsync("/v1/deidentify?trace=1", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(fixture.Deid.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/deidentify?trace=1", sent.PathAndQuery);
        Assert.Equal(body, sent.Body);
        Assert.StartsWith("application/json", sent.Headers["Content-Type"], StringComparison.Ordinal);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("Seen by Dr Alma Crane, SSN [SSN].", (string?)answer["text"]);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HopByHopHeaders_AreStripped_ForwardedHeadersAdded_TraceContextPropagated()
    {
        fixture.ResetFakes();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var token = TestTokens.Create();

        // TestServer.SendAsync lets the test set the client address a socket would have supplied.
        var context = await fixture.App.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/v2/models/distilbert-sst2/ready";
            c.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
            var headers = c.Request.Headers;
            headers.Authorization = $"Bearer {token}";
            headers["traceparent"] = $"00-{traceId}-00f067aa0ba902b7-01";
            headers["Proxy-Authorization"] = "Basic c2VjcmV0";
            headers["Keep-Alive"] = "timeout=5";
            headers["Connection"] = "X-Session-Hop";
            headers["X-Session-Hop"] = "drop-me";
            headers["X-Forwarded-For"] = "6.6.6.6";
            headers["X-Custom"] = "keep-me";
        }, Ct);

        Assert.Equal(200, context.Response.StatusCode);
        var sent = Assert.Single(fixture.Triton.Requests).Headers;
        Assert.False(sent.ContainsKey("Proxy-Authorization"));
        Assert.False(sent.ContainsKey("Authorization"));
        Assert.False(sent.ContainsKey("Keep-Alive"));
        Assert.False(sent.ContainsKey("X-Session-Hop"));
        Assert.Equal("keep-me", sent["X-Custom"]);
        // No proxy is configured as trusted, so the client's claim is dropped and its socket address is reported.
        Assert.Equal("10.1.2.3", sent["X-Forwarded-For"]);
        Assert.Equal("http", sent["X-Forwarded-Proto"]);
        Assert.Equal("localhost", sent["X-Forwarded-Host"]);
        Assert.Contains(traceId, sent["traceparent"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedFor_IsBelieved_OnlyFromAConfiguredProxy()
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        settings["Gateway:Transport:KnownProxies:0"] = "10.1.2.3";
        await using var app = new GatewayApp(settings);
        var token = TestTokens.Create();

        async Task<string> ForwardedForVia(string remote)
        {
            fixture.ResetFakes();
            await app.Server.SendAsync(c =>
            {
                c.Request.Method = "GET";
                c.Request.Path = "/v2/models/m/ready";
                c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
                c.Request.Headers.Authorization = $"Bearer {token}";
                c.Request.Headers["X-Forwarded-For"] = "203.0.113.9";
            }, Ct);
            return Assert.Single(fixture.Triton.Requests).Headers["X-Forwarded-For"];
        }

        Assert.Equal("203.0.113.9", await ForwardedForVia("10.1.2.3"));
        Assert.Equal("10.9.9.9", await ForwardedForVia("10.9.9.9"));
    }

    [Fact]
    public async Task ResponseHopByHopHeaders_AreStripped_OthersKept()
    {
        var client = Client();
        fixture.Triton.Handler = async (context, _) =>
        {
            context.Response.Headers["X-Model-Etag"] = "v1";
            context.Response.Headers["Keep-Alive"] = "timeout=99";
            context.Response.StatusCode = 200;
            await context.Response.WriteAsync("{\"name\":\"m\"}");
        };

        var response = await client.GetAsync("/v2/models/m/versions/1", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v1", response.Headers.GetValues("X-Model-Etag").Single());
        Assert.False(response.Headers.Contains("Keep-Alive"));
        Assert.Equal("{\"name\":\"m\"}", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("/v2/models/m/versions/1", Assert.Single(fixture.Triton.Requests).PathAndQuery);
    }

    [Fact]
    public async Task StreamedAnswer_ArrivesBeforeTheBackendFinishes()
    {
        var client = Client();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Triton.Handler = async (context, _) =>
        {
            await context.Response.WriteAsync("first-chunk;", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await release.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("second-chunk", context.RequestAborted);
        };

        using var response = await client.GetAsync("/v2/models/m", HttpCompletionOption.ResponseHeadersRead, Ct);
        var stream = await response.Content.ReadAsStreamAsync(Ct);
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer, Ct);

        Assert.Equal("first-chunk;", Encoding.UTF8.GetString(buffer, 0, read));
        release.SetResult();
        Assert.Equal("second-chunk", await new StreamReader(stream).ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task BackendErrorStatus_IsPassedThrough()
    {
        var client = Client();
        fixture.Triton.Handler = async (context, _) =>
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("{\"error\":\"unknown model\"}");
        };

        var response = await client.GetAsync("/v2/models/nope", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"error\":\"unknown model\"}", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task MissingScope_Is403_AndNothingIsForwarded()
    {
        var response = await Client(scopes: "notes.analyze").PostAsync("/v1/deidentify",
            new StringContent("{\"text\":\"x\"}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, fixture.Deid.Calls);
    }

    [Fact]
    public async Task WrongMediaType_Is415_AndNothingIsForwarded()
    {
        var response = await Client().PostAsync("/v1/deidentify", new StringContent("<x/>", Encoding.UTF8, "application/xml"), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, fixture.Deid.Calls);
    }

    [Fact]
    public async Task UnreachableBackend_Is502_NoDestination_Is503()
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, triton: null);
        settings["services:deid:http:0"] = "http://127.0.0.1:1";
        await using var app = new GatewayApp(settings);
        var client = app.CreateClient(TestTokens.Create(scopes: "notes.deidentify models.read"));

        var unreachable = await client.PostAsync("/v1/deidentify", new StringContent("{\"text\":\"x\"}", Encoding.UTF8, "application/json"), Ct);
        var unconfigured = await client.GetAsync("/v2/models/m/ready", Ct);

        Assert.Equal(HttpStatusCode.BadGateway, unreachable.StatusCode);
        Assert.Equal("Request", (string?)JsonNode.Parse(await unreachable.Content.ReadAsStringAsync(Ct))!["forwarderError"]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unconfigured.StatusCode);
        Assert.Equal("application/problem+json", unconfigured.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SlowBackend_Is504_AfterTheActivityTimeout()
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        settings["ReverseProxy:Clusters:triton:HttpRequest:ActivityTimeout"] = "00:00:00.500";
        await using var app = new GatewayApp(settings);
        fixture.ResetFakes();
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Triton.Handler = FakeServices.Hang(aborted);

        var response = await app.CreateClient(TestTokens.Create()).GetAsync("/v2/models/m/ready", Ct);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("RequestTimedOut", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["forwarderError"]);
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task InvalidProxyConfiguration_FailsStartUp_NamingTheKey()
    {
        var settings = GatewayApp.DefaultSettings(fixture.Deid, fixture.Tokenizer, fixture.Triton);
        settings["ReverseProxy:Routes:deidentify:ClusterId"] = "nowhere";
        await using var app = new GatewayApp(settings);

        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        Assert.Contains("ReverseProxy:Routes:deidentify:ClusterId", error.ToString(), StringComparison.Ordinal);
    }
}
