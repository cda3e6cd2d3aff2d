using System.Net;
using HealthAI.ServiceDefaults.Logging;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace HealthAI.ServiceDefaults.Resilience;

/// <summary>Builds the standard pipeline: total timeout, retry, circuit breaker, attempt timeout (outermost first).</summary>
internal static class HttpResiliencePipelineFactory
{
    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline,
        string clientName,
        HttpResilienceOptions options,
        TimeProvider timeProvider,
        ILogger logger)
    {
        pipeline.TimeProvider = timeProvider;
        pipeline.AddTimeout(options.TotalRequestTimeout);

        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome) && MayRetry(args.Context)),
                OnRetry = args =>
                {
                    Log.RetryingRequest(logger, clientName, args.AttemptNumber + 1, Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
            });
        }

        pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                Log.CircuitOpened(logger, clientName, args.BreakDuration);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                Log.CircuitClosed(logger, clientName);
                return ValueTask.CompletedTask;
            },
        });

        pipeline.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>Transport failures, attempt timeouts, 408, 429 and 5xx: worth another try or counting towards the breaker.</summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            || (int)response.StatusCode >= 500,
        _ => false,
    };

    /// <summary>Only idempotent methods retry, unless the caller marked the request safe to repeat.</summary>
    internal static bool MayRetry(ResilienceContext context)
    {
        if (!context.Properties.TryGetValue(ResilienceHandler.RequestKey, out var request))
        {
            return false;
        }

        if (request.Options.TryGetValue(HttpRequestResilienceExtensions.AllowRetryKey, out var allowed) && allowed)
        {
            return true;
        }

        var method = request.Method;
        return method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
            || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Trace;
    }

    // Status codes and exception type names only: exception messages can quote the request.
    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.GetType().Name ?? ((int?)outcome.Result?.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
