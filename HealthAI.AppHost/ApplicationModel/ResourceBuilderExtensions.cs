namespace HealthAI.AppHost.ApplicationModel;

/// <summary>The Aspire-shaped builder verbs Program.cs uses.</summary>
public static class ResourceBuilderExtensions
{
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this DistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new() =>
        builder.AddResource(new ProjectResource(name, new TProject()));

    public static IResourceBuilder<ContainerResource> AddContainer(this DistributedApplicationBuilder builder, string name, string image, string tag) =>
        builder.AddResource(new ContainerResource(name, image, tag));

    /// <summary>Declares a deploy-time input. Secret parameters never get a default in generated files.</summary>
    public static IResourceBuilder<ParameterResource> AddParameter(this DistributedApplicationBuilder builder, string name, bool secret = false) =>
        builder.AddResource(new ParameterResource(name, secret, defaultValue: null));

    public static IResourceBuilder<ParameterResource> AddParameter(this DistributedApplicationBuilder builder, string name, string value) =>
        builder.AddResource(new ParameterResource(name, secret: false, value));

    /// <summary>Generates a value on the first local run and keeps it in `.healthai/` (mode 600); deployments supply their own.</summary>
    public static IResourceBuilder<ParameterResource> WithGeneratedDevelopmentValue(this IResourceBuilder<ParameterResource> builder, Func<string> factory)
    {
        builder.Resource.DevelopmentValueFactory = factory;
        return builder;
    }

    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string name = "http")
        where T : Resource =>
        builder.WithEndpoint(name, "http", "http", port, targetPort);

    public static IResourceBuilder<T> WithEndpoint<T>(this IResourceBuilder<T> builder, string name, string scheme, string transport, int? port = null, int? targetPort = null)
        where T : Resource
    {
        if (builder.Resource.Endpoints.Any(e => e.Name == name))
        {
            throw new InvalidOperationException($"Resource '{builder.Resource.Name}' already has an endpoint named '{name}'.");
        }

        return builder.WithAnnotation(new EndpointAnnotation(name, scheme, transport, port, targetPort, IsExternal: false));
    }

    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder) where T : Resource
    {
        foreach (var endpoint in builder.Resource.Endpoints.Where(e => e.Scheme is "http" or "https"))
        {
            endpoint.IsExternal = true;
        }

        return builder;
    }

    public static EndpointReference GetEndpoint<T>(this IResourceBuilder<T> builder, string name) where T : Resource =>
        new(builder.Resource, builder.Resource.GetEndpoint(name).Name);

    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> target) where T : Resource
    {
        if (!target.Resource.Endpoints.Any())
        {
            throw new InvalidOperationException($"'{builder.Resource.Name}' references '{target.Resource.Name}', which has no endpoints.");
        }

        return builder.WithAnnotation(new ReferenceAnnotation(target.Resource));
    }

    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> target) where T : Resource =>
        builder.WithAnnotation(new WaitAnnotation(target.Resource));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value) where T : Resource =>
        builder.WithAnnotation(new EnvironmentAnnotation(name, new LiteralValue(value)));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, EndpointReference endpoint) where T : Resource =>
        builder.WithAnnotation(new EnvironmentAnnotation(name, endpoint));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter)
        where T : Resource =>
        builder.WithAnnotation(new EnvironmentAnnotation(name, parameter.Resource));

    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string path = "/health", string endpointName = "http")
        where T : Resource =>
        builder.WithAnnotation(new HealthCheckAnnotation(path, endpointName));

    public static IResourceBuilder<T> WithHttpLivenessCheck<T>(this IResourceBuilder<T> builder, string path = "/alive", string endpointName = "http")
        where T : Resource =>
        builder.WithAnnotation(new LivenessCheckAnnotation(path, endpointName));

    public static IResourceBuilder<ContainerResource> WithArgs(this IResourceBuilder<ContainerResource> builder, params string[] args) =>
        builder.WithAnnotation(new ArgsAnnotation(args));

    public static IResourceBuilder<ContainerResource> WithVolume(this IResourceBuilder<ContainerResource> builder, string name, string target, bool isReadOnly = false) =>
        builder.WithAnnotation(new VolumeAnnotation(name, target, isReadOnly));

    public static IResourceBuilder<ContainerResource> WithGpuSupport(this IResourceBuilder<ContainerResource> builder, int count = 1) =>
        builder.WithAnnotation(new GpuAnnotation(count));

    public static IResourceBuilder<T> WithReplicas<T>(this IResourceBuilder<T> builder, int min, int max, int targetCpuUtilization, int? targetGpuUtilization = null)
        where T : Resource =>
        builder.WithAnnotation(new ScalingAnnotation(min, max, targetCpuUtilization, targetGpuUtilization));

    public static IResourceBuilder<T> WithComputeResources<T>(this IResourceBuilder<T> builder, string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit)
        where T : Resource =>
        builder.WithAnnotation(new ComputeResourcesAnnotation(cpuRequest, memoryRequest, cpuLimit, memoryLimit));
}
