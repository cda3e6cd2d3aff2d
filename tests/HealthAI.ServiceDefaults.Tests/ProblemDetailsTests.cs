using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace HealthAI.ServiceDefaults.Tests;

public sealed class ProblemDetailsTests
{
    // A canary: unique text that must never leave the request it came in.
    private const string Canary = "CANARY-Zebulon-Quartermaine-MRN-99887766";

    private sealed record Note(string Text);

    private static Task<(WebApplication App, CapturingLoggerProvider Logs)> StartAsync() =>
        TestHosts.StartServiceAsync(app =>
        {
            app.MapPost("/throws", IResult (Note note) => throw new InvalidOperationException($"could not handle {note.Text}"));
            app.MapPost("/echo-length", (Note note) => Results.Ok(note.Text.Length));
            app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        });

    [Fact]
    public async Task Unhandled_exception_becomes_problem_details_without_the_message()
    {
        var (app, logs) = await StartAsync();
        await using var _app = app;
        var client = app.GetTestClient();

        var response = await client.PostAsJsonAsync("/throws", new Note(Canary), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(500, json.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("requestId").GetString()));
        Assert.DoesNotContain(Canary, body, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Canary, StringComparison.Ordinal));
        Assert.Contains(logs.Lines, line => line.Contains("InvalidOperationException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_and_the_body_is_not_logged()
    {
        var (app, logs) = await StartAsync();
        await using var _app = app;
        var client = app.GetTestClient();

        using var content = new StringContent($"{{\"text\": \"{Canary}\", ", Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/echo-length", content, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"requestId\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, body, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Canary, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Successful_requests_log_no_body_content()
    {
        var (app, logs) = await StartAsync();
        await using var _app = app;
        var client = app.GetTestClient();

        var response = await client.PostAsJsonAsync("/echo-length", new Note(Canary), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Canary, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bare_status_codes_get_a_problem_body_with_request_id()
    {
        var (app, _) = await StartAsync();
        await using var _app = app;
        var client = app.GetTestClient();

        var response = await client.GetAsync("/status/404", TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("requestId", out _));
    }
}
