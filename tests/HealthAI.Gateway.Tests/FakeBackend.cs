using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HealthAI.Gateway.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 and an OS-assigned port, standing in for deid, tokenizer or triton.</summary>
public sealed class FakeBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;
    private int _inFlight;
    private int _maxInFlight;

    private FakeBackend(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public int Calls => Volatile.Read(ref _calls);

    public int MaxConcurrent => Volatile.Read(ref _maxInFlight);

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>What the backend answers; receives the request body as text.</summary>
    public Func<HttpContext, string, Task> Handler { get; set; } = (context, _) =>
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    };

    public static async Task<FakeBackend> StartAsync(Func<HttpContext, string, Task>? handler = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeBackend(app);
        if (handler is not null)
        {
            fake.Handler = handler;
        }

        app.Run(async context =>
        {
            Interlocked.Increment(ref fake._calls);
            var inFlight = Interlocked.Increment(ref fake._inFlight);
            int seen;
            while (inFlight > (seen = Volatile.Read(ref fake._maxInFlight)) && Interlocked.CompareExchange(ref fake._maxInFlight, inFlight, seen) != seen)
            {
            }

            try
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync(context.RequestAborted);
                fake.Requests.Enqueue(new RecordedRequest(
                    context.Request.Method,
                    context.Request.Path + context.Request.QueryString,
                    context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                    body));
                await fake.Handler(context, body);
            }
            finally
            {
                Interlocked.Decrement(ref fake._inFlight);
            }
        });
        await app.StartAsync();
        fake.Address = new Uri(app.Urls.First());
        return fake;
    }

    public void Reset(Func<HttpContext, string, Task> handler)
    {
        Handler = handler;
        Requests.Clear();
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _maxInFlight, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);
