using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthAI.Gateway.Tests;

/// <summary>The real gateway in a TestServer, configured with test keys, fake downstreams on loopback and a temp audit file.</summary>
public sealed class GatewayApp(IDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public CapturingLoggerProvider Logs { get; } = new();

    public string AuditPath { get; } = settings.TryGetValue("Gateway:Audit:FilePath", out var path) ? path! : "";

    public Action<IServiceCollection>? ConfigureTestServices { get; init; }

    /// <summary>Leave the audit file behind on dispose (a test that restarts the gateway on the same file cleans up itself).</summary>
    public bool KeepAuditFile { get; init; }

    public static Dictionary<string, string?> DefaultSettings(FakeBackend? deid, FakeBackend? tokenizer, FakeBackend? triton)
    {
        var settings = TestTokens.Settings();
        settings["Gateway:Audit:FilePath"] = Path.Combine(Path.GetTempPath(), "healthai-gw-tests", Guid.NewGuid().ToString("n"), "audit.jsonl");
        settings["Gateway:RateLimiting:TokenLimit"] = "100000";
        settings["Gateway:RateLimiting:TokensPerPeriod"] = "100000";
        // Far longer than any test waits, so an abort a test observes comes from cancellation, not a hop timeout; the timeout
        // tests shorten these on their own host.
        settings["Gateway:Analyze:DeidTimeout"] = "00:02:00";
        settings["Gateway:Analyze:ClassifyTimeout"] = "00:02:00";
        settings["Gateway:Analyze:MaxBatchConcurrency"] = "2";
        // One attempt per call and a breaker that will not trip during a test class: the tests count calls.
        settings["HttpClientDefaults:Resilience:MaxRetryAttempts"] = "0";
        settings["HttpClientDefaults:Resilience:AttemptTimeout"] = "00:05:00";
        settings["HttpClientDefaults:Resilience:TotalRequestTimeout"] = "00:05:00";
        settings["HttpClientDefaults:Resilience:CircuitMinimumThroughput"] = "1000";
        if (deid is not null)
        {
            settings["services:deid:http:0"] = deid.Address.ToString().TrimEnd('/');
        }

        if (tokenizer is not null)
        {
            settings["services:tokenizer:http:0"] = tokenizer.Address.ToString().TrimEnd('/');
        }

        if (triton is not null)
        {
            settings["services:triton:http:0"] = triton.Address.ToString().TrimEnd('/');
        }

        return settings;
    }

    public HttpClient CreateClient(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        var directory = Path.GetDirectoryName(AuditPath);
        if (!KeepAuditFile && !string.IsNullOrEmpty(directory) && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            ConfigureTestServices?.Invoke(services);
        });
    }
}
