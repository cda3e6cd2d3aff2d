using Microsoft.AspNetCore.Http;

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
