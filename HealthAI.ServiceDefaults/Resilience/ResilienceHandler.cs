using Polly;

namespace HealthAI.ServiceDefaults.Resilience;

/// <summary>Runs each request through the client's resilience pipeline.</summary>
public sealed class ResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    internal static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("HealthAI.Resilience.Request");

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        var response = await state.Handler.SendCoreAsync(state.Request, ctx.CancellationToken);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request));
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}

/// <summary>Per-request switches of the resilience pipeline.</summary>
public static class HttpRequestResilienceExtensions
{
    /// <summary>Marks a request whose method is not idempotent as safe to retry (the callee deduplicates or has no effects).</summary>
    public static readonly HttpRequestOptionsKey<bool> AllowRetryKey = new("HealthAI.Resilience.AllowRetry");

    /// <summary>Allows retries of this request even though its method is not idempotent.</summary>
    public static HttpRequestMessage AllowRetry(this HttpRequestMessage request)
    {
        request.Options.Set(AllowRetryKey, true);
        return request;
    }
}
