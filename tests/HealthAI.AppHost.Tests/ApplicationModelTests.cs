using HealthAI.AppHost.ApplicationModel;

namespace HealthAI.AppHost.Tests;

public sealed class ApplicationModelTests
{
    [Fact]
    public void References_inject_Aspire_service_discovery_variables_and_publish_adds_container_conventions()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var key = builder.AddParameter("key", secret: true);
        var triton = builder.AddTriton("triton", "models");
        var tokenizer = builder.AddProject<Projects.HealthAI_Tokenizer>("tokenizer").WithHttpEndpoint(port: 5082)
            .WithReference(triton).WithEnvironment("Secret__Key", key);

        var run = EnvironmentConventions.For(tokenizer.Resource, ExecutionMode.Run).ToDictionary(v => v.Key, v => v.Value);
        var publish = EnvironmentConventions.For(tokenizer.Resource, ExecutionMode.Publish).ToDictionary(v => v.Key, v => v.Value);

        Assert.Equal(new EndpointReference(triton.Resource, "grpc"), run["services__triton__grpc__0"]);
        Assert.Equal(new EndpointReference(triton.Resource, "http"), run["TRITON_HTTP"]);
        Assert.Same(key.Resource, run["Secret__Key"]);
        Assert.False(run.ContainsKey("HTTP_PORTS"));
        Assert.Equal(new EndpointReference(tokenizer.Resource, "http", EndpointProperty.TargetPort), publish["HTTP_PORTS"]);
        Assert.Equal(new LiteralValue("true"), publish["ASPNETCORE_FORWARDEDHEADERS_ENABLED"]);
        Assert.Equal("{triton.bindings.grpc.url}", ((EndpointReference)publish["services__triton__grpc__0"]).ManifestExpression);
    }

    [Fact]
    public void Start_order_puts_dependencies_first_and_rejects_cycles()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var gateway = builder.AddProject<Projects.HealthAI_Gateway>("gateway").WithHttpEndpoint();
        var deid = builder.AddProject<Projects.HealthAI_Deid>("deid").WithHttpEndpoint();
        var triton = builder.AddTriton("triton", "models");
        gateway.WithReference(deid).WaitFor(deid).WithReference(triton);

        var model = builder.Build().Model;
        Assert.Equal(["deid", "triton", "gateway"], model.StartOrder().Select(r => r.Name));
        Assert.Equal(["gateway"], model.CallersOf(deid.Resource).Select(r => r.Name));

        deid.WaitFor(gateway);
        Assert.Throws<InvalidOperationException>(() => model.StartOrder());
    }

    [Fact]
    public void Duplicate_names_and_references_to_resources_without_endpoints_are_rejected()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var deid = builder.AddProject<Projects.HealthAI_Deid>("deid");

        Assert.Throws<InvalidOperationException>(() => builder.AddProject<Projects.HealthAI_Deid>("deid"));
        Assert.Throws<InvalidOperationException>(() => builder.AddProject<Projects.HealthAI_Gateway>("gateway").WithReference(deid));
    }

    [Theory]
    [InlineData(new[] { "publish", "--publisher", "manifest", "--output-path", "." }, "publish", null)]
    [InlineData(new[] { "--publisher", "kubernetes", "--output-path", "deploy/k8s" }, "publish", null)]
    [InlineData(new[] { "publish", "--publisher", "helm", "--output-path", "x" }, "publish", "--publisher must be")]
    [InlineData(new[] { "publish", "--publisher", "manifest" }, "publish", "--output-path is required")]
    [InlineData(new[] { "token", "--scope", "notes.analyze", "--scope", "models.read" }, "token", null)]
    [InlineData(new[] { "--triton", "gpu" }, "run", "--triton must be")]
    [InlineData(new[] { "--bogus" }, "run", "unknown argument '--bogus'")]
    public void Command_line_is_parsed_with_clear_errors(string[] args, string verb, string? error)
    {
        var command = CommandLine.Parse(args);

        Assert.Equal(verb, command.Verb);
        if (error is null)
        {
            Assert.Null(command.Error);
        }
        else
        {
            Assert.Contains(error, command.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Token_scopes_default_to_notes_analyze()
    {
        Assert.Equal(["notes.analyze"], CommandLine.Parse(["token"]).Scopes);
        Assert.Equal(["a", "b"], CommandLine.Parse(["token", "--scope", "a", "--scope", "b"]).Scopes);
    }

    [Fact]
    public async Task Triton_container_mode_without_a_container_engine_is_a_clear_error()
    {
        var (exitCode, output) = await TestPaths.RunAppHostAsync(TestContext.Current.CancellationToken, "--triton", "container");

        Assert.Equal(1, exitCode);
        Assert.Contains("--triton container", output, StringComparison.Ordinal);
    }
}
