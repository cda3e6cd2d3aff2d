namespace HealthAI.AppHost.ApplicationModel;

/// <summary>Marker for everything attached to a resource by its builder.</summary>
public interface IResourceAnnotation;

/// <summary>A network endpoint. <see cref="Port"/> is the local (host) port; <see cref="TargetPort"/> the port the process listens on in a container.</summary>
public sealed record EndpointAnnotation(string Name, string Scheme, string Transport, int? Port, int? TargetPort, bool IsExternal)
    : IResourceAnnotation
{
    public bool IsExternal { get; set; } = IsExternal;
}

/// <summary>An environment variable whose value may refer to other resources.</summary>
public sealed record EnvironmentAnnotation(string Name, IValueProvider Value) : IResourceAnnotation;

/// <summary>`WithReference`: inject the target's endpoints as service-discovery variables.</summary>
public sealed record ReferenceAnnotation(Resource Target) : IResourceAnnotation;

/// <summary>`WaitFor`: do not start until the target is healthy.</summary>
public sealed record WaitAnnotation(Resource Target) : IResourceAnnotation;

/// <summary>`WithHttpHealthCheck`: readiness path probed on an endpoint.</summary>
public sealed record HealthCheckAnnotation(string Path, string EndpointName) : IResourceAnnotation;

/// <summary>Liveness path (Kubernetes liveness probe); readiness comes from <see cref="HealthCheckAnnotation"/>.</summary>
public sealed record LivenessCheckAnnotation(string Path, string EndpointName) : IResourceAnnotation;

/// <summary>Container arguments (after the image entrypoint).</summary>
public sealed record ArgsAnnotation(IReadOnlyList<string> Args) : IResourceAnnotation;

/// <summary>A named volume mounted into a container.</summary>
public sealed record VolumeAnnotation(string Name, string Target, bool ReadOnly) : IResourceAnnotation;

/// <summary>The container needs GPUs (run mode: `--gpus`; Kubernetes: `nvidia.com/gpu` limit). Not a manifest field: the schema forbids it.</summary>
public sealed record GpuAnnotation(int Count) : IResourceAnnotation;

/// <summary>Runs a container resource locally as a project process instead (Triton as HealthAI.InferenceServer).</summary>
public sealed record LocalProjectAnnotation(IProjectMetadata Project, Func<LocalLaunchContext, IReadOnlyList<string>> Arguments)
    : IResourceAnnotation;

/// <summary>A file that must exist before the local process starts, and the project command that creates it.</summary>
public sealed record LocalPrerequisiteAnnotation(string RelativePath, string Description, IReadOnlyList<string> CreateArguments)
    : IResourceAnnotation;

/// <summary>Files the deployment mounts as configuration (Kubernetes ConfigMap).</summary>
public sealed record ConfigFileAnnotation(string ConfigName, string MountPath, IReadOnlyDictionary<string, string> Files) : IResourceAnnotation;

/// <summary>Kubernetes scaling: replicas, the CPU autoscaler and its optional GPU-utilisation variant.</summary>
public sealed record ScalingAnnotation(int MinReplicas, int MaxReplicas, int TargetCpuUtilization, int? TargetGpuUtilization)
    : IResourceAnnotation;

/// <summary>Kubernetes requests and limits.</summary>
public sealed record ComputeResourcesAnnotation(string CpuRequest, string MemoryRequest, string CpuLimit, string MemoryLimit)
    : IResourceAnnotation;

/// <summary>Values the local run computes for a resource: its ports and the repository root.</summary>
public sealed record LocalLaunchContext(string RepositoryRoot, IReadOnlyDictionary<string, int> Ports);
