using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HealthAI.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A test OTLP/HTTP receiver (http/protobuf): keeps every exported traces, metrics and logs payload as raw bytes. Strings in
/// protobuf are plain UTF-8, so scanning the bytes for a canary finds it in any span attribute, metric label or log body.
/// </summary>
public sealed class OtlpCaptureReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _payloads = new();
    private WebApplication? _app;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyCollection<(string Signal, byte[] Body)> Payloads => _payloads;

    public int CountOf(string signal) => _payloads.Count(p => p.Signal == signal);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request, HttpResponse response) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body).ConfigureAwait(false);
            _payloads.Enqueue((signal, body.ToArray()));
            response.ContentType = "application/x-protobuf";
            // An empty Export*ServiceResponse is zero bytes on the wire: full success.
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Endpoint = new Uri(app.Urls.First());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
