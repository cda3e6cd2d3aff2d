namespace HealthAI.TritonClient;

/// <summary>
/// Settings of one Triton client, bound from <c>HealthAI:Triton</c>, then <c>HealthAI:Triton:{name}</c>, then the delegate given
/// to <c>AddTritonClient</c> (the Aspire client-component order).
/// </summary>
public sealed class TritonClientSettings
{
    /// <summary>The configuration section shared by every Triton client.</summary>
    public const string DefaultConfigSectionName = "HealthAI:Triton";

    /// <summary>HTTP address of the server. Default: <c>http://{name}</c>, resolved through service discovery.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>gRPC address (h2c for http, TLS for https). Default: <c>http://_grpc.{name}</c> (Aspire's named endpoint).</summary>
    public Uri? GrpcEndpoint { get; set; }

    /// <summary>The transport: <see cref="TritonProtocol.HttpBinary"/> (default), HttpJson or Grpc.</summary>
    public TritonProtocol Protocol { get; set; } = TritonProtocol.HttpBinary;

    /// <summary>The model whose readiness the health check reports; without it the check reports server readiness.</summary>
    public string? ModelName { get; set; }

    /// <summary>The model version for the health check; null = the server's choice.</summary>
    public string? ModelVersion { get; set; }

    /// <summary>Deadline of one inference call (retries included). Inference under load queues in the batcher: keep it generous.</summary>
    public TimeSpan InferenceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of health, metadata, config, statistics and repository calls (retries included).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest response accepted (gRPC message or HTTP body). Default 64 MiB; Triton itself allows 2 GiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>Largest request sent (gRPC message or HTTP body). Default 64 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>Retries of idempotent calls (health, metadata, config, statistics, index) after a transient failure.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// Whether a failed inference is retried. Off by default: a 503 usually means the batcher's queue is full, and repeating the
    /// call adds load exactly when the server sheds it. Turn it on only for stateless models (no sequence parameters).
    /// </summary>
    public bool RetryInference { get; set; }

    /// <summary>First retry delay; later ones double, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Skips registering the readiness health check.</summary>
    public bool DisableHealthChecks { get; set; }

    /// <summary>Skips creating an Activity per call.</summary>
    public bool DisableTracing { get; set; }
}
