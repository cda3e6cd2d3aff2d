using Microsoft.Extensions.Options;

namespace HealthAI.TritonClient.Hosting;

/// <summary>Validates the settings of each named client at start-up, naming the configuration key of every error.</summary>
internal sealed class TritonClientSettingsValidator : IValidateOptions<TritonClientSettings>
{
    public ValidateOptionsResult Validate(string? name, TritonClientSettings options)
    {
        var section = string.IsNullOrEmpty(name)
            ? TritonClientSettings.DefaultConfigSectionName
            : $"{TritonClientSettings.DefaultConfigSectionName}:{name}";
        var errors = new List<string>();

        void Require(bool condition, string key, string rule)
        {
            if (!condition)
            {
                errors.Add($"{section}:{key} {rule}");
            }
        }

        Require(options.Endpoint is null || options.Endpoint.IsAbsoluteUri && options.Endpoint.Scheme is "http" or "https",
            nameof(options.Endpoint), "must be an absolute http:// or https:// URI such as http://triton.");
        Require(options.GrpcEndpoint is null || options.GrpcEndpoint.IsAbsoluteUri && options.GrpcEndpoint.Scheme is "http" or "https",
            nameof(options.GrpcEndpoint), "must be an absolute http:// (h2c) or https:// (TLS) URI such as http://_grpc.triton.");
        Require(Enum.IsDefined(options.Protocol), nameof(options.Protocol), "must be HttpBinary, HttpJson or Grpc.");
        Require(options.InferenceTimeout > TimeSpan.Zero, nameof(options.InferenceTimeout), "must be positive.");
        Require(options.Timeout > TimeSpan.Zero, nameof(options.Timeout), "must be positive.");
        Require(options.MaxReceiveMessageSize > 0, nameof(options.MaxReceiveMessageSize), "must be positive.");
        Require(options.MaxSendMessageSize > 0, nameof(options.MaxSendMessageSize), "must be positive.");
        Require(options.MaxRetries is >= 0 and <= 10, nameof(options.MaxRetries), "must be between 0 and 10.");
        Require(options.RetryBaseDelay >= TimeSpan.Zero, nameof(options.RetryBaseDelay), "must not be negative.");
        Require(options.ModelVersion is null || long.TryParse(options.ModelVersion, out _), nameof(options.ModelVersion),
            "must be a version number.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
