using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HealthAI.TritonClient.Tests;

/// <summary>AddTritonClient: configuration order, validation, service discovery, health check, resilience choice.</summary>
public sealed class HostingTests
{
    private static HostApplicationBuilder Builder(Dictionary<string, string?> configuration)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddServiceDefaults();
        return builder;
    }

    /// <summary>Replaces only the socket at the bottom (after AddTritonClient): service discovery and the rest stay as registered.</summary>
    private static void UseHandler(HostApplicationBuilder builder, InMemoryHandler handler, string name = "triton")
    {
        builder.Services.AddHttpClient(TritonClientExtensions.HttpClientName(name, "http")).ConfigurePrimaryHttpMessageHandler(() => handler);
        builder.Services.AddHttpClient(TritonClientExtensions.HttpClientName(name, "grpc")).ConfigurePrimaryHttpMessageHandler(() => handler);
    }

    [Fact]
    public void Settings_BindSharedSectionThenNamedSectionThenDelegate()
    {
        var builder = Builder(new()
        {
            ["HealthAI:Triton:Protocol"] = "HttpJson",
            ["HealthAI:Triton:InferenceTimeout"] = "00:00:05",
            ["HealthAI:Triton:triton:Protocol"] = "Grpc",
            ["HealthAI:Triton:triton:ModelName"] = "from-config",
        });

        builder.AddTritonClient("triton", s => s.ModelName = "distilbert-sst2");
        using var host = builder.Build();

        var settings = host.Services.GetRequiredService<IOptionsMonitor<TritonClientSettings>>().Get("triton");
        Assert.Equal(TritonProtocol.Grpc, settings.Protocol);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.InferenceTimeout);
        Assert.Equal("distilbert-sst2", settings.ModelName);
        Assert.Equal(new Uri("http://triton"), settings.Endpoint);
        Assert.Equal(new Uri("http://_grpc.triton"), settings.GrpcEndpoint);
        Assert.Equal(TritonProtocol.Grpc, host.Services.GetRequiredService<ITritonClient>().Protocol);
        Assert.Same(host.Services.GetRequiredService<ITritonClient>(), host.Services.GetRequiredKeyedService<ITritonClient>("triton"));
    }

    [Fact]
    public async Task InvalidSettings_FailStartNamingTheKey()
    {
        var builder = Builder(new() { ["HealthAI:Triton:triton:InferenceTimeout"] = "-00:00:01" });
        builder.AddTritonClient("triton");
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("HealthAI:Triton:triton:InferenceTimeout must be positive.", ex.Message);
    }

    [Theory]
    [InlineData("HttpBinary", "http://127.0.0.1:18000/v2/models/distilbert-sst2/ready")]
    [InlineData("Grpc", "http://127.0.0.1:18001/inference.GRPCInferenceService/ModelReady")]
    public async Task HealthCheck_ReportsModelReadinessThroughServiceDiscovery(string protocol, string expectedUri)
    {
        var ready = true;
        var handler = new InMemoryHandler((request, _, _) => Task.FromResult(protocol == "Grpc"
            ? InMemoryHandler.Grpc(InMemoryHandler.Frame(new KServe.Protocol.Inference.ModelReadyResponse { Ready = ready }), 0)
            : new HttpResponseMessage(ready ? HttpStatusCode.OK : HttpStatusCode.BadRequest)));
        var builder = Builder(new()
        {
            ["services:triton:http:0"] = "http://127.0.0.1:18000",
            ["services:triton:grpc:0"] = "http://127.0.0.1:18001",
            ["HealthAI:Triton:Protocol"] = protocol,
        });
        builder.AddTritonClient("triton", s => s.ModelName = "distilbert-sst2");
        UseHandler(builder, handler);
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var healthy = await health.CheckHealthAsync(r => r.Name == "triton_triton", TestContext.Current.CancellationToken);
        ready = false;
        var unhealthy = await health.CheckHealthAsync(r => r.Name == "triton_triton", TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains("not ready", unhealthy.Entries["triton_triton"].Description);
        Assert.Equal(expectedUri, handler.Requests[0].SentUri.AbsoluteUri);
    }

    [Fact]
    public async Task StandardResilienceHandler_IsReplacedByTheClientsOwnPolicy()
    {
        // ServiceDefaults would retry a GET answered 503 twice; the Triton client is configured for no retries here.
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Json(HttpStatusCode.ServiceUnavailable, """{"error":"x"}""")));
        var builder = Builder(new()
        {
            ["services:triton:http:0"] = "http://127.0.0.1:18000",
            ["HealthAI:Triton:MaxRetries"] = "0",
        });
        builder.AddTritonClient("triton");
        UseHandler(builder, handler);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<TritonException>(() =>
            host.Services.GetRequiredService<ITritonClient>().GetServerMetadataAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.HttpStatus);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public void HealthCheck_CanBeDisabled()
    {
        var builder = Builder(new() { ["HealthAI:Triton:triton:DisableHealthChecks"] = "true" });
        builder.AddTritonClient("triton");
        using var host = builder.Build();

        var registrations = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.DoesNotContain(registrations, r => r.Name == "triton_triton");
    }
}
