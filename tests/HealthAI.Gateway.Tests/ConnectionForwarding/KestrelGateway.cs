using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HealthAI.Gateway.Audit;
using HealthAI.Gateway.ConnectionForwarding;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// The real gateway on Kestrel (loopback, OS-assigned port), so connection middleware runs as in production, with the
/// connection-level forwarder's metrics collected: how many requests it forwarded itself and why it handed connections over.
/// </summary>
public sealed class KestrelGateway : IAsyncDisposable
{
    private readonly MeterListener _listener = new();

    private KestrelGateway(GatewayApp app) => App = app;

    public GatewayApp App { get; }

    public Uri Address { get; private set; } = null!;

    /// <summary>Every address the gateway listens on.</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    // The forwarder records its metric and audit line just after the answer's last byte is flushed, so a client can hold the
    // whole answer a moment before they exist: waits for them are bounded, never fixed sleeps.
    private static readonly TimeSpan RecordWait = TimeSpan.FromSeconds(10);

    /// <summary>Requests the connection-level forwarder answered, with their status codes.</summary>
    public ConcurrentQueue<int> Forwarded { get; } = new();

    /// <summary>Connections handed to ASP.NET Core's pipeline, by reason.</summary>
    public ConcurrentQueue<string> HandOvers { get; } = new();

    /// <summary>
    /// Starts the gateway on one loopback endpoint with an OS-assigned port, or, with <paramref name="configuredEndpoints"/>, on
    /// the endpoints its <c>Kestrel:Endpoints</c> settings name (<see cref="Address"/> is then the first plain-HTTP one).
    /// </summary>
    public static Task<KestrelGateway> StartAsync(
        FakeBackend deid,
        FakeBackend triton,
        Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? services = null,
        bool configuredEndpoints = false)
    {
        var settings = GatewayApp.DefaultSettings(deid, tokenizer: null, triton);
        configure?.Invoke(settings);
        var gateway = new KestrelGateway(new GatewayApp(settings) { ConfigureTestServices = services });
        if (configuredEndpoints)
        {
            gateway.App.UseKestrel();
        }
        else
        {
            gateway.App.UseKestrel(0);
        }

        gateway.App.StartServer();
        var server = gateway.App.Services.GetRequiredService<IServer>();
        gateway.Addresses = server.Features.Get<IServerAddressesFeature>()!.Addresses.Select(address => new Uri(address)).ToArray();
        gateway.Address = gateway.Addresses.First(address => address.Scheme == Uri.UriSchemeHttp);
        gateway.Listen(gateway.App.Services.GetRequiredService<IMeterFactory>());
        return Task.FromResult(gateway);
    }

    public HttpClient CreateClient(string? token)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>The forwarded statuses once at least <paramref name="count"/> requests have been recorded (or the wait ran out).</summary>
    public async Task<int[]> ForwardedAsync(int count, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(RecordWait);
        while (Forwarded.Count < count && !wait.IsCancellationRequested)
        {
            await Task.Delay(10, CancellationToken.None);
        }

        return [.. Forwarded];
    }

    /// <summary>The audit file once it holds at least <paramref name="lines"/> lines (or the wait ran out).</summary>
    public async Task<string[]> ReadAuditAsync(int lines, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(RecordWait);
        var audit = App.Services.GetRequiredService<AuditTrail>();
        while (true)
        {
            await audit.FlushAsync(cancellationToken);
            var written = await File.ReadAllLinesAsync(App.AuditPath, cancellationToken);
            if (written.Length >= lines || wait.IsCancellationRequested)
            {
                return written;
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    // Only this gateway's instruments: other tests' gateways in the process publish under the same names.
    private void Listen(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ForwardingTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "http.response.status_code")
                {
                    Forwarded.Enqueue((int)tag.Value!);
                }
            }
        });
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    HandOvers.Enqueue((string)tag.Value!);
                }
            }
        });
        _listener.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await App.DisposeAsync();
    }
}
