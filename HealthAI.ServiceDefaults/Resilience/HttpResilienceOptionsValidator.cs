using Microsoft.Extensions.Options;

namespace HealthAI.ServiceDefaults.Resilience;

/// <summary>Checks the rules that span several values, and names the exact configuration key of each error.</summary>
internal sealed class HttpResilienceOptionsValidator : IValidateOptions<HttpResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpResilienceOptions options)
    {
        var section = string.IsNullOrEmpty(name)
            ? HttpResilienceOptions.SectionName
            : $"{HttpResilienceOptions.SectionName}:Clients:{name}";
        var errors = new List<string>();

        void Require(bool condition, string key, string rule)
        {
            if (!condition)
            {
                errors.Add($"{section}:{key} {rule}");
            }
        }

        Require(options.AttemptTimeout > TimeSpan.Zero, nameof(options.AttemptTimeout), "must be positive.");
        Require(options.TotalRequestTimeout >= options.AttemptTimeout, nameof(options.TotalRequestTimeout),
            $"must be at least {nameof(options.AttemptTimeout)} ({options.AttemptTimeout}).");
        Require(options.MaxRetryAttempts is >= 0 and <= 10, nameof(options.MaxRetryAttempts), "must be between 0 and 10.");
        Require(options.RetryBaseDelay >= TimeSpan.Zero, nameof(options.RetryBaseDelay), "must not be negative.");
        Require(options.CircuitFailureRatio is > 0 and <= 1, nameof(options.CircuitFailureRatio), "must be in (0, 1].");
        Require(options.CircuitMinimumThroughput >= 2, nameof(options.CircuitMinimumThroughput), "must be at least 2.");
        Require(options.CircuitSamplingDuration >= TimeSpan.FromMilliseconds(500), nameof(options.CircuitSamplingDuration),
            "must be at least 00:00:00.5.");
        Require(options.CircuitBreakDuration >= TimeSpan.FromMilliseconds(500), nameof(options.CircuitBreakDuration),
            "must be at least 00:00:00.5.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
