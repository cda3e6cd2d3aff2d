using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthAI.Tokenizer.Tests.Service;

/// <summary>The tokenizer service in memory, with settings applied before the builder reads them, and every log line captured.</summary>
public sealed class TokenizerServiceFactory(IDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("HealthAI:Shutdown:DrainDelay", "00:00:00");
        builder.UseSetting("HealthAI:Triton:MaxRetries", "0");
        builder.UseSetting("HealthAI:Triton:Timeout", "00:00:10");
        builder.UseSetting("HealthAI:Triton:InferenceTimeout", "00:00:30");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureTestServices(_ => { });
    }

    /// <summary>A client once the vocabulary is loaded.</summary>
    public async Task<HttpClient> CreateReadyClientAsync()
    {
        var client = CreateClient();
        await Services.GetRequiredService<Tokenization.TokenizerHost>().Loaded.WaitAsync(TimeSpan.FromSeconds(30));
        return client;
    }

    /// <summary>Polls /health until it answers 200 (readiness may lag start-up on a loaded machine); false after 30 s.</summary>
    public static async Task<bool> WaitUntilReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        return false;
    }
}
