using HealthAI.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.Configuration;

namespace HealthAI.ServiceDefaults.Tests;

public sealed class ServiceDiscoveryTests
{
    private static ServiceEndpointResolver Resolver(params (string Key, string Value)[] entries) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(entries.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)))
            .Build());

    [Fact]
    public void Scheme_names_the_endpoint_and_path_and_query_are_kept()
    {
        var resolver = Resolver(("services:deid:http:0", "http://127.0.0.1:5081"));

        var resolved = resolver.Resolve(new Uri("http://deid/v1/deidentify?x=1"));

        Assert.Equal("http://127.0.0.1:5081/v1/deidentify?x=1", resolved.ToString());
    }

    [Fact]
    public void Underscore_prefix_selects_a_named_endpoint()
    {
        var resolver = Resolver(
            ("services:triton:http:0", "http://127.0.0.1:8000"),
            ("services:triton:grpc:0", "http://127.0.0.1:8001"));

        Assert.Equal(new Uri("http://127.0.0.1:8001/inference.GRPCInferenceService/ModelInfer"),
            resolver.Resolve(new Uri("http://_grpc.triton/inference.GRPCInferenceService/ModelInfer")));
    }

    [Fact]
    public void Https_plus_http_prefers_https_and_falls_back_to_http()
    {
        var onlyHttp = Resolver(("services:deid:http:0", "http://127.0.0.1:5081"));
        var both = Resolver(("services:deid:http:0", "http://127.0.0.1:5081"), ("services:deid:https:0", "https://127.0.0.1:7081"));

        Assert.Equal("http://127.0.0.1:5081/", onlyHttp.Resolve(new Uri("https+http://deid/")).ToString());
        Assert.Equal("https://127.0.0.1:7081/", both.Resolve(new Uri("https+http://deid/")).ToString());
    }

    [Fact]
    public void Several_indices_are_used_in_turn()
    {
        var resolver = Resolver(("services:deid:http:0", "http://127.0.0.1:1001"), ("services:deid:http:1", "http://127.0.0.1:1002"));

        var ports = Enumerable.Range(0, 4).Select(_ => resolver.Resolve(new Uri("http://deid/")).Port).ToArray();

        Assert.Equal([1001, 1002, 1001, 1002], ports);
    }

    [Fact]
    public void Missing_service_names_the_configuration_key()
    {
        var resolver = Resolver();

        var error = Assert.Throws<ServiceEndpointNotFoundException>(() => resolver.Resolve(new Uri("http://tokenizer/v1/classify")));

        Assert.Equal("services:tokenizer:http:0", error.ConfigurationKey);
        Assert.Contains("services__tokenizer__http__0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5000/x")]
    [InlineData("http://127.0.0.1:5000/x")]
    [InlineData("http://deid.healthai.svc.cluster.local/x")]
    [InlineData("http://[::1]:5000/x")]
    public void Physical_addresses_pass_through(string address)
    {
        var resolver = Resolver();

        Assert.Equal(new Uri(address), resolver.Resolve(new Uri(address)));
    }

    [Fact]
    public void Malformed_endpoint_value_names_its_key()
    {
        var resolver = Resolver(("services:deid:http:0", "not a uri"));

        var error = Assert.Throws<InvalidOperationException>(() => resolver.Resolve(new Uri("http://deid/")));

        Assert.Contains("services:deid:http:0", error.Message, StringComparison.Ordinal);
    }
}
