using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HealthAI.AppHost.Tests;

public sealed partial class ManifestPublishingTests
{
    private static readonly string CommittedManifest = Path.Combine(TestPaths.RepositoryRoot, "aspire-manifest.json");

    [Fact]
    public async Task Committed_manifest_equals_a_fresh_publish()
    {
        var output = TestPaths.NewTempDirectory();
        var (exitCode, log) = await TestPaths.RunAppHostAsync(TestContext.Current.CancellationToken, "publish", "--publisher", "manifest", "--output-path", output);
        Assert.True(exitCode == 0, log);

        var fresh = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "aspire-manifest.json")))!;
        // `path` is relative to the manifest's folder: express the fresh one relative to the repository root, where the committed one lives.
        foreach (var resource in fresh["resources"]!.AsObject().Select(r => r.Value!.AsObject()).Where(r => r.ContainsKey("path")))
        {
            var absolute = Path.GetFullPath(Path.Combine(output, resource["path"]!.GetValue<string>()));
            resource["path"] = Path.GetRelativePath(TestPaths.RepositoryRoot, absolute).Replace('\\', '/');
        }

        var committed = JsonNode.Parse(File.ReadAllText(CommittedManifest))!;
        Assert.True(JsonNode.DeepEquals(committed, fresh),
            "aspire-manifest.json is stale: run `dotnet run --project HealthAI.AppHost -- publish --publisher manifest --output-path .`");
    }

    [Fact]
    public void Committed_manifest_is_valid_against_the_aspire_8_schema()
    {
        var errors = Validator().Validate(JsonNode.Parse(File.ReadAllText(CommittedManifest)));
        Assert.Empty(errors);
    }

    [Fact]
    public void Schema_check_rejects_fields_aspire_does_not_define()
    {
        // The check must be able to fail: a `gpu` field on the container (tempting, but not in the format) is an error.
        var manifest = JsonNode.Parse(File.ReadAllText(CommittedManifest))!;
        manifest["resources"]!["triton"]!["gpu"] = 1;
        manifest["resources"]!["gateway"]!["bindings"]!["http"]!["transport"] = 42;

        var errors = Validator().Validate(manifest);

        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Contains("gpu", StringComparison.Ordinal) || e.Contains("triton", StringComparison.Ordinal));
    }

    [Fact]
    public void Resources_have_the_types_bindings_and_references_aspire_writes()
    {
        var resources = JsonNode.Parse(File.ReadAllText(CommittedManifest))!["resources"]!.AsObject();

        Assert.Equal("container.v0", (string?)resources["triton"]!["type"]);
        Assert.Matches(@"^nvcr\.io/nvidia/tritonserver:\d\d\.\d\d-py3$", (string?)resources["triton"]!["image"]);
        var tritonBindings = resources["triton"]!["bindings"]!;
        Assert.Equal(8000, (int)tritonBindings["http"]!["targetPort"]!);
        Assert.Equal(8001, (int)tritonBindings["grpc"]!["targetPort"]!);
        Assert.Equal("http2", (string?)tritonBindings["grpc"]!["transport"]);
        Assert.Equal(8002, (int)tritonBindings["metrics"]!["targetPort"]!);

        foreach (var project in new[] { "deid", "tokenizer", "gateway" })
        {
            Assert.Equal("project.v0", (string?)resources[project]!["type"]);
            Assert.True(File.Exists(Path.Combine(TestPaths.RepositoryRoot, (string)resources[project]!["path"]!)), project);
        }

        Assert.True((bool)resources["gateway"]!["bindings"]!["http"]!["external"]!);
        Assert.Null(resources["deid"]!["bindings"]!["http"]!["external"]);
        Assert.Equal("{triton.bindings.grpc.url}", (string?)resources["tokenizer"]!["env"]!["services__triton__grpc__0"]);
        Assert.Equal("{deid.bindings.http.url}", (string?)resources["gateway"]!["env"]!["services__deid__http__0"]);
        Assert.Equal("{deid-surrogate-key.value}", (string?)resources["deid"]!["env"]!["HealthAI__Deid__SurrogateKey"]);

        foreach (var secret in new[] { "deid-surrogate-key", "jwt-signing-key" })
        {
            Assert.Equal("parameter.v0", (string?)resources[secret]!["type"]);
            Assert.True((bool)resources[secret]!["inputs"]!["value"]!["secret"]!);
            Assert.Null(resources[secret]!["inputs"]!["value"]!["default"]);
        }
    }

    [Fact]
    public void Every_expression_refers_to_a_declared_resource_and_binding()
    {
        var text = File.ReadAllText(CommittedManifest);
        var resources = JsonNode.Parse(text)!["resources"]!.AsObject();
        var expressions = Expression().Matches(text).Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(expressions);
        foreach (var expression in expressions)
        {
            var parts = expression.Split('.');
            Assert.True(resources.ContainsKey(parts[0]), $"{{{expression}}} names no resource");
            if (parts[1] == "bindings")
            {
                Assert.NotNull(resources[parts[0]]!["bindings"]?[parts[2]]);
            }
        }
    }

    private static JsonSchemaValidator Validator()
    {
        Assert.True(File.Exists(TestPaths.AspireSchema), $"aspire-8.0.json not found at {TestPaths.AspireSchema}; set HEALTHAI_ASPIRE_SCHEMA");
        return new JsonSchemaValidator(JsonNode.Parse(File.ReadAllText(TestPaths.AspireSchema))!);
    }

    [GeneratedRegex(@"\{([a-z0-9-]+\.[A-Za-z0-9.]+)\}")]
    private static partial Regex Expression();
}
