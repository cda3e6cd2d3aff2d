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
        builder.UseSetting("HealthAI:Triton:Timeout", "00:00:02");
        builder.UseSetting("HealthAI:Triton:InferenceTimeout", "00:00:05");
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
}
