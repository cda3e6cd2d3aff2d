using HealthAI.AppHost.ApplicationModel;

namespace HealthAI.AppHost;

/// <summary>HealthAI-specific wiring that would clutter Program.cs.</summary>
public static class AppHostExtensions
{
    /// <summary>ServiceDefaults' readiness (`/health`) and liveness (`/alive`), plus modest Kubernetes scaling and sizing.</summary>
    public static IResourceBuilder<ProjectResource> WithServiceProbes(this IResourceBuilder<ProjectResource> builder) =>
        builder.WithHttpHealthCheck("/health")
            .WithHttpLivenessCheck("/alive")
            .WithComputeResources(cpuRequest: "250m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "512Mi");

    /// <summary>The gateway's JWT bearer settings in the layout `dotnet user-jwts` writes (`Authentication:Schemes:Bearer`).</summary>
    public static IResourceBuilder<ProjectResource> WithJwtBearer(
        this IResourceBuilder<ProjectResource> builder,
        IResourceBuilder<ParameterResource> issuer,
        IResourceBuilder<ParameterResource> audience,
        IResourceBuilder<ParameterResource> signingKey,
        IResourceBuilder<ParameterResource> keyId) =>
        builder.WithEnvironment(JwtSettingNames.ValidIssuer, issuer)
            .WithEnvironment(JwtSettingNames.ValidAudience, audience)
            .WithEnvironment(JwtSettingNames.SigningKeyIssuer, issuer)
            .WithEnvironment(JwtSettingNames.SigningKeyValue, signingKey)
            .WithEnvironment(JwtSettingNames.SigningKeyId, keyId);
}

/// <summary>Environment names of the gateway's bearer settings.</summary>
public static class JwtSettingNames
{
    public const string ValidIssuer = "Authentication__Schemes__Bearer__ValidIssuer";
    public const string ValidAudience = "Authentication__Schemes__Bearer__ValidAudiences__0";
    public const string SigningKeyIssuer = "Authentication__Schemes__Bearer__SigningKeys__0__Issuer";
    public const string SigningKeyValue = "Authentication__Schemes__Bearer__SigningKeys__0__Value";
    public const string SigningKeyId = "Authentication__Schemes__Bearer__SigningKeys__0__Id";
}

/// <summary>Generators for development-only secret values.</summary>
public static class DevelopmentValues
{
    /// <summary>32 random bytes, base64 (the HS256 key and surrogate key size).</summary>
    public static string Base64Key() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}

/// <summary>The Triton configuration deployed with the model: GPU instances and dynamic batching.</summary>
public static class TritonModelConfiguration
{
    public const string DistilBertSst2 = """
        name: "distilbert-sst2"
        platform: "onnxruntime_onnx"
        max_batch_size: 64
        input [
          { name: "input_ids", data_type: TYPE_INT64, dims: [ -1 ] },
          { name: "attention_mask", data_type: TYPE_INT64, dims: [ -1 ] }
        ]
        output [
          { name: "logits", data_type: TYPE_FP32, dims: [ 2 ], label_filename: "labels.txt" }
        ]
        dynamic_batching {
          preferred_batch_size: [ 8, 16, 32 ]
          max_queue_delay_microseconds: 2000
        }
        instance_group [ { count: 1, kind: KIND_GPU } ]

        """;
}
