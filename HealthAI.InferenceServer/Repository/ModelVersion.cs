using HealthAI.InferenceServer.Scheduling;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Repository;

/// <summary>One loaded, servable version of a model.</summary>
public sealed class ModelVersion(string name, long version, ModelConfig config, ModelScheduler scheduler)
{
    public string Name { get; } = name;
    public long Version { get; } = version;
    public string VersionText { get; } = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public ModelConfig Config { get; } = config;
    public ModelScheduler Scheduler { get; } = scheduler;
    public ModelVersionStatistics Statistics => Scheduler.Statistics;
    public bool Batched => Config.MaxBatchSize > 0;
}

/// <summary>Triton's model states (core model_lifecycle.cc).</summary>
public enum ModelState
{
    Unknown,
    Ready,
    Unavailable,
    Loading,
    Unloading,
}

/// <summary>A model of the repository and the versions it serves now.</summary>
public sealed class ModelEntry(string name, string directory)
{
    public string Name { get; } = name;
    public string Directory { get; set; } = directory;

    /// <summary>Ready versions, ascending. Replaced as a whole so requests always see a consistent set.</summary>
    public IReadOnlyList<ModelVersion> Versions { get; set; } = [];

    public ModelState State { get; set; } = ModelState.Unknown;
    public string Reason { get; set; } = "";
    public string? Fingerprint { get; set; }
}
