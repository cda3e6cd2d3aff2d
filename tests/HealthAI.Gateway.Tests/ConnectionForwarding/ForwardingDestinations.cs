using HealthAI.Gateway.ConnectionForwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// The fake de-identification and model destinations a forwarding test puts behind its gateway, started afresh for each test:
/// each records what reached it, which is how a test shows that a request was (or was not) forwarded.
/// </summary>
public abstract class ForwardingDestinations : IAsyncLifetime
{
    protected const string DeidAnswer = "{\"text\":\"Patient [NAME] is well.\",\"entities\":[]}";

    protected const string ModelAnswer = "{\"name\":\"distilbert-sst2\"}";

    protected FakeBackend Deid { get; private set; } = null!;

    protected FakeBackend Triton { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What carries the gateway's plain-HTTP endpoint: a class that runs its tests on both transports overrides it.</summary>
    protected virtual ForwardingTransport Transport => ForwardingTransport.EventLoop;

    /// <summary>
    /// Makes <see cref="Deid"/> hold each answer until the returned source is set (or its request is aborted), then answer
    /// <see cref="DeidAnswer"/>: a request in flight for as long as a test needs.
    /// </summary>
    protected TaskCompletionSource HoldDeidAnswers()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Deid.Reset(async (context, _) =>
        {
            await release.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync(DeidAnswer, context.RequestAborted);
        });
        return release;
    }

    /// <summary>Returns once <see cref="Deid"/> has received a request (the test's own cancellation bounds the wait).</summary>
    protected async Task UntilDeidCalledAsync()
    {
        while (Deid.Calls == 0)
        {
            await Task.Delay(10, Ct);
        }
    }

    /// <summary>The gateway on Kestrel in front of <paramref name="deid"/> and <see cref="Triton"/>, on this class's transport.</summary>
    protected Task<KestrelGateway> StartGatewayAsync(
        FakeBackend deid,
        Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? services = null,
        bool configuredEndpoints = false) =>
        KestrelGateway.StartAsync(
            deid,
            Triton,
            settings =>
            {
                settings["Gateway:ConnectionForwarding:Transport"] = Transport.ToString();
                configure?.Invoke(settings);
            },
            services,
            configuredEndpoints);

    public async ValueTask InitializeAsync()
    {
        Deid = await FakeBackend.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(DeidAnswer, context.RequestAborted);
        });
        Triton = await FakeBackend.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(ModelAnswer, context.RequestAborted);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Deid.DisposeAsync();
        await Triton.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
