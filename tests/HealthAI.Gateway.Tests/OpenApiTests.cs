using System.Net;
using System.Text.Json.Nodes;

namespace HealthAI.Gateway.Tests;

public sealed class OpenApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Document_DescribesEveryPublicRoute_AuthAndErrors()
    {
        var response = await fixture.App.CreateClient(token: null).GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var paths = document["paths"]!.AsObject();
        foreach (var path in (string[])["/v1/notes/analyze", "/v1/notes/analyze-batch", "/v1/deidentify", "/v2/models/{name}",
            "/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}", "/v2/models/{name}/versions/{version}/ready"])
        {
            Assert.True(paths.ContainsKey(path), $"missing {path}");
        }

        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]);
        var analyze = paths["/v1/notes/analyze"]!["post"]!;
        Assert.Equal("notes.analyze", (string?)analyze["security"]![0]!["Bearer"]![0]);
        Assert.NotNull(analyze["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.NotNull(analyze["requestBody"]!["content"]!["text/plain"]);
        foreach (var status in (string[])["200", "400", "401", "403", "413", "415", "429", "502", "503", "504"])
        {
            Assert.True(analyze["responses"]!.AsObject().ContainsKey(status), $"analyze lacks {status}");
        }

        Assert.Equal("models.read", (string?)paths["/v2/models/{name}/ready"]!["get"]!["security"]![0]!["Bearer"]![0]);

        // The forwarded route with a body: its media types, and the route table's 413 and 415.
        var deidentify = paths["/v1/deidentify"]!["post"]!;
        Assert.NotNull(deidentify["requestBody"]!["content"]!["application/json"]);
        foreach (var status in (string[])["413", "415", "502", "503", "504"])
        {
            Assert.True(deidentify["responses"]!.AsObject().ContainsKey(status), $"deidentify lacks {status}");
        }

        // Every ProblemDetails carries the request id; the probes are described.
        var schemas = document["components"]!["schemas"]!.AsObject();
        var problem = schemas.First(schema => schema.Key.Contains("ProblemDetails", StringComparison.Ordinal)).Value!;
        Assert.NotNull(problem["properties"]!["requestId"]);
        Assert.NotNull(paths["/alive"]!["get"]!["responses"]!["200"]);
        Assert.NotNull(paths["/health"]!["get"]!["responses"]!["503"]);
    }
}
