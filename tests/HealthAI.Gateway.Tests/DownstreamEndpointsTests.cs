using HealthAI.Gateway.Pipeline;
using HealthAI.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.Configuration;

namespace HealthAI.Gateway.Tests;

public sealed class DownstreamEndpointsTests
{
    [Fact]
    public void Resolves_ThroughServiceDiscovery_AndFollowsAConfigurationReload()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["services:deid:http:0"] = "http://127.0.0.1:5081" })
            .Build();
        using var endpoints = new DownstreamEndpoints(new ServiceEndpointResolver(configuration), configuration);

        Assert.Equal(new Uri("http://127.0.0.1:5081/v1/deidentify"), endpoints.Resolve("http://deid/v1/deidentify"));

        configuration["services:deid:http:0"] = "http://127.0.0.1:6081";
        Assert.Equal(new Uri("http://127.0.0.1:5081/v1/deidentify"), endpoints.Resolve("http://deid/v1/deidentify"));
        configuration.Reload();
        Assert.Equal(new Uri("http://127.0.0.1:6081/v1/deidentify"), endpoints.Resolve("http://deid/v1/deidentify"));
    }

    [Fact]
    public void MissingEndpoint_IsNotCached_SoOneConfiguredLaterIsUsed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        using var endpoints = new DownstreamEndpoints(new ServiceEndpointResolver(configuration), configuration);

        Assert.Throws<ServiceEndpointNotFoundException>(() => endpoints.Resolve("http://tokenizer/v1/classify"));

        configuration["services:tokenizer:http:0"] = "http://127.0.0.1:5082";
        Assert.Equal(new Uri("http://127.0.0.1:5082/v1/classify"), endpoints.Resolve("http://tokenizer/v1/classify"));
    }
}
