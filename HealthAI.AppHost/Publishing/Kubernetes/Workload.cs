using System.Globalization;
using HealthAI.AppHost.ApplicationModel;
using static HealthAI.AppHost.Publishing.Kubernetes.KubernetesObjects;

namespace HealthAI.AppHost.Publishing.Kubernetes;

/// <summary>One resource's Deployment, Service and NetworkPolicy, with its environment resolved for the cluster.</summary>
internal sealed class Workload(DistributedApplicationModel model, Resource resource)
{
    private const string ModelStoreMount = "/model-store";
    private const string ModelConfigMount = "/model-config";

    private readonly IReadOnlyList<KeyValuePair<string, IValueProvider>> _environment = EnvironmentConventions.For(resource, ExecutionMode.Publish);

    private string Name => resource.Name;

    private bool IsContainer => resource is ContainerResource;

    /// <summary>Plain values for the `&lt;name&gt;-env` ConfigMap; secret parameters are left to <see cref="SecretEnvironment"/>.</summary>
    public OrderedDictionary<string, object?> ConfigMapData() =>
        Map(_environment.Where(e => !IsSecret(e.Value)).Select(e => (e.Key, (object?)Resolve(e.Value))).ToArray());

    public OrderedDictionary<string, object?> Deployment()
    {
        var scaling = resource.AnnotationsOf<ScalingAnnotation>().FirstOrDefault();
        var container = Map(
            ("name", Name),
            ("image", Image()),
            ("imagePullPolicy", "IfNotPresent"),
            ("args", resource.AnnotationsOf<ArgsAnnotation>().SelectMany(a => a.Args).ToArray() is { Length: > 0 } args ? args : null),
            ("ports", resource.Endpoints.Select(e => Map(("name", e.Name), ("containerPort", ContainerPort(e)), ("protocol", "TCP"))).ToArray()),
            ("envFrom", ConfigMapData().Count > 0 ? new[] { Map(("configMapRef", Map(("name", $"{Name}-env")))) } : null),
            ("env", SecretEnvironment() is { Length: > 0 } secrets ? secrets : null),
            ("startupProbe", StartupProbe()),
            ("readinessProbe", ReadinessProbe()),
            ("livenessProbe", LivenessProbe()),
            ("resources", Resources()),
            ("securityContext", ContainerSecurityContext()),
            ("volumeMounts", VolumeMounts()));

        return Object("apps/v1", "Deployment", Name, ("spec", Map(
            ("replicas", scaling?.MinReplicas ?? 2),
            ("revisionHistoryLimit", 3),
            ("selector", Map(("matchLabels", Selector(Name)))),
            ("strategy", Map(("type", "RollingUpdate"), ("rollingUpdate", Map(("maxSurge", 1), ("maxUnavailable", 0))))),
            ("template", Map(
                ("metadata", Map(("labels", Labels(Name)))),
                ("spec", Map(
                    ("automountServiceAccountToken", false),
                    ("securityContext", PodSecurityContext(IsContainer ? KubernetesPublisher.TritonUser : KubernetesPublisher.DotnetAppUser)),
                    ("terminationGracePeriodSeconds", 30),
                    ("initContainers", InitContainers()),
                    ("containers", new[] { container }),
                    ("volumes", Volumes()))))))));
    }

    public OrderedDictionary<string, object?> Service() =>
        Object("v1", "Service", Name, ("spec", Map(
            ("type", "ClusterIP"),
            ("selector", Selector(Name)),
            ("ports", resource.Endpoints.Select(e => Map(
                ("name", e.Name),
                ("port", ContainerPort(e)),
                ("targetPort", e.Name),
                ("protocol", "TCP"),
                ("appProtocol", e.Transport == "http2" ? "kubernetes.io/h2c" : "http"))).ToArray()))));

    /// <summary>External endpoints accept any source; the others only the pods of resources that reference this one.</summary>
    public OrderedDictionary<string, object?> NetworkPolicy()
    {
        var callers = model.CallersOf(resource).Select(c => Map(("podSelector", Map(("matchLabels", Selector(c.Name)))))).ToArray();
        var rules = new List<object>();
        var external = resource.Endpoints.Where(e => e.IsExternal).ToArray();
        if (external.Length > 0)
        {
            rules.Add(Map(("ports", Ports(external))));
        }

        var callerEndpoints = resource.Endpoints.Where(e => !e.IsExternal && e.Name != "metrics").ToArray();
        if (callerEndpoints.Length > 0 && callers.Length > 0)
        {
            rules.Add(Map(("from", callers), ("ports", Ports(callerEndpoints))));
        }

        if (resource.Endpoints.FirstOrDefault(e => e.Name == "metrics") is { } metrics)
        {
            // Prometheus scrapes from its own namespace.
            rules.Add(Map(
                ("from", new[] { Map(("namespaceSelector", Map(("matchLabels", Map(("kubernetes.io/metadata.name", "monitoring")))))) }),
                ("ports", Ports([metrics]))));
        }

        return Object("networking.k8s.io/v1", "NetworkPolicy", Name, ("spec", Map(
            ("podSelector", Map(("matchLabels", Selector(Name)))),
            ("policyTypes", List("Ingress")),
            ("ingress", rules.ToArray()))));

        object[] Ports(IEnumerable<EndpointAnnotation> endpoints) =>
            endpoints.Select(e => (object)Map(("protocol", "TCP"), ("port", ContainerPort(e)))).ToArray();
    }

    private object[] SecretEnvironment() =>
        _environment.Where(e => IsSecret(e.Value)).Select(e => (object)Map(
            ("name", e.Key),
            ("valueFrom", Map(("secretKeyRef", Map(("name", $"{Name}-secrets"), ("key", ((ParameterResource)e.Value).Name))))))).ToArray();

    private string Image() => resource switch
    {
        ContainerResource container => container.ImageReference,
        ProjectResource project => $"{project.Project.AssemblyName.Replace('.', '-').ToLowerInvariant()}:latest",
        _ => throw new NotSupportedException(),
    };

    private OrderedDictionary<string, object?>? StartupProbe() =>
        resource.AnnotationsOf<HealthCheckAnnotation>().FirstOrDefault() is { } check
            ? IsContainer ? HttpProbe(check.Path, check.EndpointName, 0, 10, 30) : HttpProbe(LivenessPath(check), check.EndpointName, 0, 2, 30)
            : null;

    private OrderedDictionary<string, object?>? ReadinessProbe() =>
        resource.AnnotationsOf<HealthCheckAnnotation>().FirstOrDefault() is { } check ? HttpProbe(check.Path, check.EndpointName, 5, 5, 3) : null;

    private OrderedDictionary<string, object?>? LivenessProbe() =>
        resource.AnnotationsOf<LivenessCheckAnnotation>().FirstOrDefault() is { } check ? HttpProbe(check.Path, check.EndpointName, 15, 10, 3) : null;

    private string LivenessPath(HealthCheckAnnotation readiness) =>
        resource.AnnotationsOf<LivenessCheckAnnotation>().FirstOrDefault()?.Path ?? readiness.Path;

    private OrderedDictionary<string, object?>? Resources()
    {
        var compute = resource.AnnotationsOf<ComputeResourcesAnnotation>().FirstOrDefault();
        var gpu = resource.AnnotationsOf<GpuAnnotation>().FirstOrDefault();
        if (compute is null && gpu is null)
        {
            return null;
        }

        var gpus = gpu?.Count.ToString(CultureInfo.InvariantCulture);
        return Map(
            ("requests", compute is null ? null : Map(("cpu", compute.CpuRequest), ("memory", compute.MemoryRequest))),
            // GPUs go in limits only: they cannot be overcommitted, so requests default to the limit.
            ("limits", Map(("cpu", compute?.CpuLimit), ("memory", compute?.MemoryLimit), ("nvidia.com/gpu", gpus))));
    }

    private object[] VolumeMounts()
    {
        var mounts = new List<object> { Map(("name", "tmp"), ("mountPath", "/tmp")) };
        foreach (var volume in resource.AnnotationsOf<VolumeAnnotation>())
        {
            // The model repository is assembled by the init container (volume + configuration) in a writable emptyDir.
            mounts.Add(Map(("name", "models"), ("mountPath", volume.Target), ("readOnly", true)));
        }

        return mounts.ToArray();
    }

    private object[]? InitContainers()
    {
        var volume = resource.AnnotationsOf<VolumeAnnotation>().FirstOrDefault();
        if (volume is null || resource is not ContainerResource container)
        {
            return null;
        }

        var copies = new List<string> { $"cp -R {ModelStoreMount}/. {volume.Target}/" };
        foreach (var config in resource.AnnotationsOf<ConfigFileAnnotation>())
        {
            copies.AddRange(config.Files.Keys.Order(StringComparer.Ordinal)
                .Select(file => $"mkdir -p {config.MountPath} && cp {ModelConfigMount}/{config.ConfigName}/{file} {config.MountPath}/{file}"));
        }

        var mounts = new List<object>
        {
            Map(("name", "model-store"), ("mountPath", ModelStoreMount), ("readOnly", true)),
            Map(("name", "models"), ("mountPath", volume.Target)),
        };
        mounts.AddRange(resource.AnnotationsOf<ConfigFileAnnotation>().Select(c =>
            (object)Map(("name", c.ConfigName), ("mountPath", $"{ModelConfigMount}/{c.ConfigName}"), ("readOnly", true))));

        return
        [
            Map(
                ("name", "prepare-model-repository"),
                ("image", container.ImageReference),
                ("command", new[] { "sh", "-c", string.Join(" && ", copies) }),
                ("resources", Map(("requests", Map(("cpu", "100m"), ("memory", "128Mi"))), ("limits", Map(("cpu", "500m"), ("memory", "512Mi"))))),
                ("securityContext", ContainerSecurityContext()),
                ("volumeMounts", mounts.ToArray())),
        ];
    }

    private object[] Volumes()
    {
        var volumes = new List<object> { Map(("name", "tmp"), ("emptyDir", Map())) };
        foreach (var volume in resource.AnnotationsOf<VolumeAnnotation>())
        {
            volumes.Add(Map(("name", "model-store"), ("persistentVolumeClaim", Map(("claimName", volume.Name), ("readOnly", volume.ReadOnly)))));
            volumes.Add(Map(("name", "models"), ("emptyDir", Map())));
        }

        volumes.AddRange(resource.AnnotationsOf<ConfigFileAnnotation>().Select(c =>
            (object)Map(("name", c.ConfigName), ("configMap", Map(("name", c.ConfigName))))));
        return volumes.ToArray();
    }

    private static bool IsSecret(IValueProvider value) => value is ParameterResource { Secret: true } or ParameterResource { DefaultValue: null };

    private static int ContainerPort(EndpointAnnotation endpoint) => endpoint.TargetPort ?? KubernetesPublisher.ProjectContainerPort;

    /// <summary>In-cluster values: a reference to `deid`'s http endpoint is `http://deid:8080` (the Service has the resource's name).</summary>
    private static string Resolve(IValueProvider value) => value switch
    {
        LiteralValue literal => literal.Value,
        ParameterResource parameter => parameter.DefaultValue!,
        EndpointReference reference => Resolve(reference),
        _ => throw new NotSupportedException($"No Kubernetes form for {value.GetType().Name}."),
    };

    private static string Resolve(EndpointReference reference)
    {
        var endpoint = reference.Resource.GetEndpoint(reference.EndpointName);
        var port = ContainerPort(endpoint).ToString(CultureInfo.InvariantCulture);
        return reference.Property switch
        {
            EndpointProperty.Url => $"{endpoint.Scheme}://{reference.Resource.Name}:{port}",
            EndpointProperty.Host => reference.Resource.Name,
            _ => port,
        };
    }
}
