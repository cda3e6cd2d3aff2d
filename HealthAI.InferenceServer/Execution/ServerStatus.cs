using HealthAI.InferenceServer.Hosting;
using HealthAI.InferenceServer.Repository;
using HealthAI.ServiceDefaults.Health;
using Microsoft.Extensions.Options;

namespace HealthAI.InferenceServer.Execution;

/// <summary>Server liveness, readiness and metadata, shared by HTTP, gRPC and the /health check.</summary>
public sealed class ServerStatus(ModelManager models, ShutdownState shutdown, IOptions<InferenceServerOptions> options)
{
    public const string ServerName = "triton";
    public const string ServerVersion = "2.61.0";

    /// <summary>The Triton extensions this server implements.</summary>
    public static readonly string[] Extensions =
        ["classification", "model_repository", "model_repository(unload_dependents)", "schedule_policy",
         "model_configuration", "binary_tensor_data", "parameters", "statistics"];

    private volatile bool _started;

    public bool IsLive => true;

    /// <summary>False until start-up loading finished and while draining; with strict readiness, false while a model is not ready.</summary>
    public bool IsReady => _started && !shutdown.IsDraining && (!options.Value.StrictReadiness || models.AllModelsReady);

    public bool IsDraining => shutdown.IsDraining;

    internal void MarkStarted() => _started = true;
}
