using HealthAI.InferenceServer.Execution;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.ModelConfiguration;

/// <summary>A config.pbtxt read and normalized, with the unknown fields that were kept.</summary>
public sealed record LoadedModelConfig(ModelConfig Config, IReadOnlyList<PbtxtUnknownField> UnknownFields);

/// <summary>Reads <c>&lt;model&gt;/config.pbtxt</c> and fills in Triton's defaults (core NormalizeModelConfig).</summary>
public static class ModelConfigLoader
{
    public const string FileName = "config.pbtxt";

    /// <summary>Parses and normalizes; throws <see cref="PbtxtException"/> or <see cref="InvalidDataException"/> naming the file.</summary>
    public static LoadedModelConfig Load(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, FileName);
        var modelName = Path.GetFileName(Path.TrimEndingDirectorySeparator(modelDirectory));
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: model '{modelName}' has no {FileName}");
        }

        var parsed = PbtxtParser.Parse<ModelConfig>(File.ReadAllText(path), path);
        Normalize(parsed.Message, modelName, path);
        return new LoadedModelConfig(parsed.Message, parsed.UnknownFields);
    }

    /// <summary>Applies defaults and checks the rules Triton enforces at load time.</summary>
    public static void Normalize(ModelConfig config, string modelName, string path)
    {
        if (config.Name.Length == 0)
        {
            config.Name = modelName;
        }
        else if (config.Name != modelName)
        {
            throw new InvalidDataException($"{path}: config name '{config.Name}' does not match the model directory '{modelName}'");
        }

        if (config.Platform == "onnxruntime_onnx" && config.Backend.Length == 0)
        {
            config.Backend = "onnxruntime";
        }
        else if (config.Backend == "onnxruntime" && config.Platform.Length == 0)
        {
            config.Platform = "onnxruntime_onnx";
        }

        if (config.Platform.Length == 0 && config.Backend.Length == 0)
        {
            throw new InvalidDataException($"{path}: model '{modelName}' names neither platform nor backend");
        }

        if (config.MaxBatchSize < 0)
        {
            throw new InvalidDataException($"{path}: max_batch_size must be 0 or more, not {config.MaxBatchSize}");
        }

        config.VersionPolicy ??= new ModelVersionPolicy { Latest = new ModelVersionPolicy.Types.Latest { NumVersions = 1 } };
        if (config.VersionPolicy.PolicyChoiceCase == ModelVersionPolicy.PolicyChoiceOneofCase.None)
        {
            config.VersionPolicy.Latest = new ModelVersionPolicy.Types.Latest { NumVersions = 1 };
        }

        if (config.DefaultModelFilename.Length == 0 && config.Backend == "onnxruntime")
        {
            config.DefaultModelFilename = "model.onnx";
        }

        CheckTensors(config, path);

        if (config.DynamicBatching is { } batching)
        {
            if (config.MaxBatchSize == 0)
            {
                throw new InvalidDataException($"{path}: dynamic_batching needs max_batch_size above 0");
            }

            if (batching.PreferredBatchSize.Count == 0)
            {
                batching.PreferredBatchSize.Add(config.MaxBatchSize);
            }

            foreach (var size in batching.PreferredBatchSize)
            {
                if (size < 1 || size > config.MaxBatchSize)
                {
                    throw new InvalidDataException($"{path}: preferred_batch_size {size} is outside 1..max_batch_size ({config.MaxBatchSize})");
                }
            }

            batching.DefaultQueuePolicy ??= new ModelQueuePolicy();
        }

        if (config.InstanceGroup.Count == 0)
        {
            config.InstanceGroup.Add(new ModelInstanceGroup { Kind = ModelInstanceGroup.Types.Kind.Cpu });
        }

        for (var i = 0; i < config.InstanceGroup.Count; i++)
        {
            var group = config.InstanceGroup[i];
            if (group.Kind == ModelInstanceGroup.Types.Kind.Gpu)
            {
                throw new InvalidDataException($"{path}: instance_group kind KIND_GPU is not available on this CPU server");
            }

            if (group.Kind == ModelInstanceGroup.Types.Kind.Auto)
            {
                group.Kind = ModelInstanceGroup.Types.Kind.Cpu;
            }

            if (group.Count == 0)
            {
                // Triton gives ONNX Runtime two CPU instances by default and every other backend one.
                group.Count = config.Backend == "onnxruntime" ? 2 : 1;
            }

            if (group.Count < 0)
            {
                throw new InvalidDataException($"{path}: instance_group count must be positive, not {group.Count}");
            }

            if (group.Name.Length == 0)
            {
                group.Name = $"{config.Name}_{i}";
            }
        }
    }

    private static void CheckTensors(ModelConfig config, string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in config.Input)
        {
            CheckTensor(path, "input", input.Name, input.DataType, input.Dims, names);
        }

        names.Clear();
        foreach (var output in config.Output)
        {
            CheckTensor(path, "output", output.Name, output.DataType, output.Dims, names);
        }
    }

    private static void CheckTensor(string path, string kind, string name, DataType type, Google.Protobuf.Collections.RepeatedField<long> dims, HashSet<string> names)
    {
        if (name.Length == 0)
        {
            throw new InvalidDataException($"{path}: an {kind} has no name");
        }

        if (!names.Add(name))
        {
            throw new InvalidDataException($"{path}: {kind} '{name}' is declared twice");
        }

        if (type == DataType.TypeInvalid || !TritonDataType.IsKnown(TritonDataType.FromConfig(type)))
        {
            throw new InvalidDataException($"{path}: {kind} '{name}' has no valid data_type");
        }

        if (dims.Count == 0)
        {
            throw new InvalidDataException($"{path}: {kind} '{name}' must have at least one dimension in dims");
        }

        if (dims.Any(d => d < -1))
        {
            throw new InvalidDataException($"{path}: {kind} '{name}' has a dimension below -1");
        }
    }
}
