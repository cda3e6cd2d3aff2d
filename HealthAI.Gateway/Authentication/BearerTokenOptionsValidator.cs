using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Authentication;

/// <summary>Fails start-up with every problem at once, each naming the configuration key to fix.</summary>
internal sealed class BearerTokenOptionsValidator : IValidateOptions<BearerTokenOptions>
{
    private const string Section = BearerTokenOptions.SectionName;

    // HMAC-SHA256 needs at least 256 bits of key; shorter keys are guessable and IdentityModel refuses them anyway.
    private const int MinimumSymmetricKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, BearerTokenOptions options)
    {
        var errors = new List<string>();
        var hasAuthority = !string.IsNullOrWhiteSpace(options.Authority) || !string.IsNullOrWhiteSpace(options.MetadataAddress);

        if (!hasAuthority && !options.AllIssuers().Any())
        {
            errors.Add($"Set '{Section}:ValidIssuer' (or '{Section}:Authority'): tokens are only accepted from a known issuer.");
        }

        if (!options.AllAudiences().Any())
        {
            errors.Add($"Set '{Section}:ValidAudiences:0' (or '{Section}:ValidAudience'): tokens must name this API as audience.");
        }

        if (!hasAuthority && options.SigningKeys.Count == 0)
        {
            errors.Add($"Set '{Section}:SigningKeys:0:Value' (base64) or '{Section}:Authority': no key could verify a token.");
        }

        for (var i = 0; i < options.SigningKeys.Count; i++)
        {
            var key = options.SigningKeys[i];
            var bytes = TryDecode(key.Value);
            if (bytes is null)
            {
                errors.Add($"'{Section}:SigningKeys:{i}:Value' must be base64.");
            }
            else if (bytes.Length < MinimumSymmetricKeyBytes)
            {
                errors.Add($"'{Section}:SigningKeys:{i}:Value' must decode to at least {MinimumSymmetricKeyBytes} bytes.");
            }
            else if (key.Length is { } length && length != bytes.Length)
            {
                errors.Add($"'{Section}:SigningKeys:{i}:Length' is {length} but the value decodes to {bytes.Length} bytes.");
            }

            if (!string.IsNullOrWhiteSpace(key.Issuer) && !hasAuthority && !options.AllIssuers().Contains(key.Issuer, StringComparer.Ordinal))
            {
                errors.Add($"'{Section}:SigningKeys:{i}:Issuer' names an issuer that is not in '{Section}:ValidIssuer(s)'.");
            }
        }

        foreach (var algorithm in options.ValidAlgorithms)
        {
            if (string.Equals(algorithm, "none", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"'{Section}:ValidAlgorithms' must not contain 'none'.");
            }
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            errors.Add($"'{Section}:ClockSkew' must be between 00:00:00 and 00:05:00.");
        }

        if (options.ValidatedTokenCacheDuration < TimeSpan.Zero || options.ValidatedTokenCacheDuration > TimeSpan.FromHours(1))
        {
            errors.Add($"'{Section}:ValidatedTokenCacheDuration' must be between 00:00:00 and 01:00:00.");
        }

        if (options.ValidatedTokenCacheSize < 1)
        {
            errors.Add($"'{Section}:ValidatedTokenCacheSize' must be at least 1.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static byte[]? TryDecode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) ? buffer[..written] : null;
    }
}
