using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using HealthAI.ServiceDefaults.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HealthAI.ServiceDefaults.Tests;

public sealed class ResilienceTests
{
    /// <summary>A loopback endpoint that fails the first <c>failures</c> calls with 503, then answers 200.</summary>
    private sealed class FlakyEndpoint
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public int Failures { get; init; }

        public HttpStatusCode FailureStatus { get; init; } = HttpStatusCode.ServiceUnavailable;

        public TimeSpan Delay { get; init; }

        public async Task<IResult> Handle(CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            return call <= Failures ? Results.StatusCode((int)FailureStatus) : Results.Ok("ok");
        }
    }

    private static async Task<(IHost Host, HttpClient Client, WebApplication Server)> StartAsync(
        FlakyEndpoint endpoint, Dictionary<string, string?> resilience)
    {
        var (server, address) = await TestHosts.StartKestrelAsync(app =>
        {
            app.MapGet("/flaky", endpoint.Handle);
            app.MapPost("/flaky", endpoint.Handle);
        });

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(resilience.Select(kv => KeyValuePair.Create($"HttpClientDefaults:Resilience:{kv.Key}", kv.Value)));
        builder.Configuration["services:flaky:http:0"] = address.ToString();
        builder.AddServiceDefaults();
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("flaky");
        client.BaseAddress = new Uri("http://flaky");
        return (host, client, server);
    }

    [Fact]
    public async Task Idempotent_request_is_retried_through_transient_failures()
    {
        var endpoint = new FlakyEndpoint { Failures = 2 };
        var (host, client, server) = await StartAsync(endpoint, new() { ["MaxRetryAttempts"] = "2", ["RetryBaseDelay"] = "00:00:00.001" });
        await using var _server = server;
        using var _host = host;

        var response = await client.GetAsync("/flaky", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, endpoint.Calls);
    }

    [Fact]
    public async Task Retries_are_bounded()
    {
        var endpoint = new FlakyEndpoint { Failures = 100 };
        var (host, client, server) = await StartAsync(endpoint, new() { ["MaxRetryAttempts"] = "2", ["RetryBaseDelay"] = "00:00:00.001" });
        await using var _server = server;
        using var _host = host;

        var response = await client.GetAsync("/flaky", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(3, endpoint.Calls);
    }

    [Fact]
    public async Task Post_is_not_retried_unless_marked_safe()
    {
        var endpoint = new FlakyEndpoint { Failures = 1 };
        var (host, client, server) = await StartAsync(endpoint, new() { ["MaxRetryAttempts"] = "2", ["RetryBaseDelay"] = "00:00:00.001" });
        await using var _server = server;
        using var _host = host;

        var plain = await client.PostAsync("/flaky", new StringContent("{}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, plain.StatusCode);
        Assert.Equal(1, endpoint.Calls);

        var endpoint2 = new FlakyEndpoint { Failures = 1 };
        var (host2, client2, server2) = await StartAsync(endpoint2, new() { ["MaxRetryAttempts"] = "2", ["RetryBaseDelay"] = "00:00:00.001" });
        await using var _server2 = server2;
        using var _host2 = host2;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/flaky") { Content = new StringContent("{}") };
        request.AllowRetry();
        var marked = await client2.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        Assert.Equal(2, endpoint2.Calls);
    }

    [Fact]
    public async Task Circuit_opens_after_repeated_failures_and_stops_calling_the_endpoint()
    {
        var endpoint = new FlakyEndpoint { Failures = int.MaxValue, FailureStatus = HttpStatusCode.InternalServerError };
        var (host, client, server) = await StartAsync(endpoint, new()
        {
            ["MaxRetryAttempts"] = "0",
            ["CircuitMinimumThroughput"] = "4",
            ["CircuitFailureRatio"] = "0.5",
            ["CircuitSamplingDuration"] = "00:00:30",
            ["CircuitBreakDuration"] = "00:00:30",
        });
        await using var _server = server;
        using var _host = host;

        var broken = 0;
        for (var i = 0; i < 10; i++)
        {
            try
            {
                using var _ = await client.GetAsync("/flaky", TestContext.Current.CancellationToken);
            }
            catch (BrokenCircuitException)
            {
                broken++;
            }
        }

        Assert.Equal(4, endpoint.Calls);
        Assert.Equal(6, broken);
    }

    [Fact]
    public async Task Attempt_timeout_bounds_a_hanging_call()
    {
        var endpoint = new FlakyEndpoint { Delay = TimeSpan.FromSeconds(30) };
        var (host, client, server) = await StartAsync(endpoint, new()
        {
            ["MaxRetryAttempts"] = "0",
            ["AttemptTimeout"] = "00:00:00.200",
            ["TotalRequestTimeout"] = "00:00:01",
        });
        await using var _server = server;
        using var _host = host;

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => client.GetAsync("/flaky", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_client_can_opt_out_of_the_default_pipeline()
    {
        var endpoint = new FlakyEndpoint { Failures = 1 };
        var (server, address) = await TestHosts.StartKestrelAsync(app => app.MapGet("/flaky", endpoint.Handle));
        await using var _server = server;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["services:flaky:http:0"] = address.ToString();
        builder.Configuration["HttpClientDefaults:Resilience:RetryBaseDelay"] = "00:00:00.001";
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("own-policy").RemoveAllResilienceHandlers();
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("own-policy");

        var response = await client.GetAsync("http://flaky/flaky", TestContext.Current.CancellationToken);

        // No retry happened, but service discovery still resolved the logical name.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, endpoint.Calls);
    }

    [Fact]
    public async Task Invalid_options_fail_start_up_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["HttpClientDefaults:Resilience:AttemptTimeout"] = "00:01:00";
        builder.Configuration["HttpClientDefaults:Resilience:TotalRequestTimeout"] = "00:00:10";
        builder.AddServiceDefaults();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("HttpClientDefaults:Resilience:TotalRequestTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transient_classification_covers_timeouts_throttling_and_server_errors()
    {
        static bool Transient(HttpStatusCode code) =>
            HttpResiliencePipelineFactory.IsTransient(Polly.Outcome.FromResult(new HttpResponseMessage(code)));

        Assert.True(Transient(HttpStatusCode.ServiceUnavailable));
        Assert.True(Transient(HttpStatusCode.TooManyRequests));
        Assert.True(Transient(HttpStatusCode.RequestTimeout));
        Assert.False(Transient(HttpStatusCode.BadRequest));
        Assert.False(Transient(HttpStatusCode.NotFound));
        Assert.True(HttpResiliencePipelineFactory.IsTransient(Polly.Outcome.FromException<HttpResponseMessage>(new HttpRequestException())));
    }
}
