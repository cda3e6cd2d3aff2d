using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Repository;
using HealthAI.InferenceServer.Scheduling;

namespace HealthAI.InferenceServer.Http;

/// <summary>Model metadata and statistics as Triton reports them, shared by the HTTP and gRPC front ends.</summary>
public static class ModelDescriptions
{
    /// <summary>Metadata of one version, or of the model with every ready version listed when none is named.</summary>
    public static ModelMetadataBody Metadata(ModelManager models, string name, string? version)
    {
        var resolved = models.Resolve(name, version);
        var entry = models.Models.First(m => m.Name == name);
        var versions = string.IsNullOrEmpty(version) ? entry.Versions.Select(v => v.VersionText).ToArray() : [resolved.VersionText];
        var config = resolved.Config;
        var batched = config.MaxBatchSize > 0;
        return new ModelMetadataBody(
            name,
            versions,
            config.Platform.Length > 0 ? config.Platform : config.Backend,
            [.. config.Input.Select(i => new TensorMetadataBody(i.Name, TritonDataType.FromConfig(i.DataType), Shape(batched, i.Dims)))],
            [.. config.Output.Select(o => new TensorMetadataBody(o.Name, TritonDataType.FromConfig(o.DataType), Shape(batched, o.Dims)))]);
    }

    /// <summary>Statistics of all ready versions, of one model, or of one version.</summary>
    public static StatisticsBody Statistics(ModelManager models, string? name, string? version)
    {
        IEnumerable<ModelVersion> versions;
        if (string.IsNullOrEmpty(name))
        {
            versions = models.Models.SelectMany(m => m.Versions);
        }
        else if (string.IsNullOrEmpty(version))
        {
            models.Resolve(name, null);
            versions = models.Models.First(m => m.Name == name).Versions;
        }
        else
        {
            versions = [models.Resolve(name, version)];
        }

        return new StatisticsBody([.. versions.Select(Stats)]);
    }

    private static ModelStatsBody Stats(ModelVersion version)
    {
        var s = version.Statistics;
        var zero = new DurationBody(0, 0);
        return new ModelStatsBody(
            version.Name,
            version.VersionText,
            s.LastInferenceMs,
            s.InferenceCount,
            s.ExecutionCount,
            new InferStatsBody(D(s.Success), D(s.Fail), D(s.Queue), D(s.ComputeInput), D(s.ComputeInfer), D(s.ComputeOutput), zero, zero),
            [.. s.Batches.OrderBy(b => b.Key).Select(b => new BatchStatsBody(b.Key, D(b.Value.ComputeInput), D(b.Value.ComputeInfer), D(b.Value.ComputeOutput)))]);
    }

    private static DurationBody D(DurationCounter counter) => new(counter.Count, counter.Nanoseconds);

    private static long[] Shape(bool batched, IList<long> dims) => batched ? [-1, .. dims] : [.. dims];
}
