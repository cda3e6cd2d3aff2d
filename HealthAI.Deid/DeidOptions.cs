using Microsoft.Extensions.Options;

namespace HealthAI.Deid;

/// <summary>Options of the de-identification service, section <c>HealthAI:Deid</c>.</summary>
public sealed class DeidOptions
{
    public const string SectionName = "HealthAI:Deid";

    /// <summary>Largest request body in bytes (larger: 413).</summary>
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest note in characters (larger: 413).</summary>
    public int MaxTextLength { get; set; } = 200_000;

    /// <summary>Most notes in one batch (more: 413).</summary>
    public int MaxBatchItems { get; set; } = 64;

    /// <summary>Base64 HMAC key (at least 32 bytes) for surrogates. Required outside Development.</summary>
    public string? SurrogateKey { get; set; }
}

/// <summary>Validates <see cref="DeidOptions"/> at start-up; every message names the configuration key.</summary>
internal sealed class DeidOptionsValidator(IHostEnvironment environment) : IValidateOptions<DeidOptions>
{
    public ValidateOptionsResult Validate(string? name, DeidOptions options)
    {
        var errors = new List<string>();
        if (options.MaxRequestBytes <= 0)
        {
            errors.Add($"{DeidOptions.SectionName}:MaxRequestBytes must be positive.");
        }

        if (options.MaxTextLength <= 0)
        {
            errors.Add($"{DeidOptions.SectionName}:MaxTextLength must be positive.");
        }

        if (options.MaxBatchItems <= 0)
        {
            errors.Add($"{DeidOptions.SectionName}:MaxBatchItems must be positive.");
        }

        if (string.IsNullOrWhiteSpace(options.SurrogateKey))
        {
            if (!environment.IsDevelopment())
            {
                errors.Add($"{DeidOptions.SectionName}:SurrogateKey is required outside the Development environment "
                    + "(base64, at least 32 bytes; from a secret store, never a default).");
            }
        }
        else if (!TryDecodeKey(options.SurrogateKey, out _))
        {
            errors.Add($"{DeidOptions.SectionName}:SurrogateKey must be base64 of at least 32 bytes.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static bool TryDecodeKey(string value, out byte[] key)
    {
        key = [];
        var buffer = new byte[value.Length];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out var written) || written < 32)
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }
}
