using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using HealthAI.EndToEnd.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HealthAI.EndToEnd.Tests.Faults;

[Collection(SystemCollection.Name)]
public sealed class MalformedTokenizerTests(SystemFixture system)
{
    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"model\": {\"name\": \"distilbert-sst2\"}, \"results\": []}")]
    [InlineData("{\"model\": {\"name\": \"distilbert-sst2\"}, \"results\": [{\"label\": \"POSITIVE\"")]
    [InlineData("{\"model\": 7, \"results\": [{\"label\": 3, \"scores\": \"high\"}]}")]
    public async Task A_tokenizer_answering_garbage_gives_a_clear_502_and_no_crash(string answer)
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var fake = builder.Build();
        fake.MapGet("/health", () => Results.Ok());
        fake.MapPost("/v1/classify", () => Results.Text(answer, "application/json"));
        await fake.StartAsync(ct);

        var (gateway, address) = await system.StartGatewayWithTokenizerAsync(new Uri(fake.Urls.First()), ct);
        try
        {
            using var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system.Tokens.Create("notes.analyze"));

            using var response = await client.PostAsJsonAsync("/v1/notes/analyze", new { text = "Mild pain, improving." }, ct);
            var body = await response.Content.ReadAsStringAsync(ct);

            Assert.True(response.StatusCode == HttpStatusCode.BadGateway, $"answered {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            await system.WaitHealthyAsync(address, gateway, ct);
            Assert.False(gateway.HasExited);
        }
        finally
        {
            await system.RetireAsync(gateway);
        }
    }
}
