using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthAI.Deid.Tests;

/// <summary>The real service on a real Kestrel socket (127.0.0.1, OS-assigned port), logs captured for canary checks.</summary>
public sealed class DeidServiceFactory : WebApplicationFactory<Program>
{
    public static readonly string TestKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings;

    public DeidServiceFactory(string environment = "Production", Dictionary<string, string?>? settings = null)
    {
        _environment = environment;
        _settings = settings ?? new Dictionary<string, string?> { ["HealthAI:Deid:SurrogateKey"] = TestKey };
        UseKestrel(0);
    }

    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace));
    }
}
