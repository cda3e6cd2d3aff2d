namespace HealthAI.AppHost.ApplicationModel;

/// <summary>The Triton image, pinned (never `latest`): release v2.71.0 is container 26.07.</summary>
public static class TritonContainerImageTags
{
    public const string Image = "nvcr.io/nvidia/tritonserver";

    public const string Tag = "26.07-py3";
}

/// <summary>Triton as an integration: the container for deployments, HealthAI.InferenceServer with tritonserver's flags locally.</summary>
public static class TritonBuilderExtensions
{
    public const string ModelRepositoryTarget = "/models";

    /// <summary>
    /// Adds Triton with endpoints http 8000, grpc 8001 (HTTP/2) and metrics 8002, readiness on `/v2/health/ready`,
    /// liveness on `/v2/health/live`, one GPU, and the model repository.
    /// </summary>
    public static IResourceBuilder<ContainerResource> AddTriton(this DistributedApplicationBuilder builder, string name, string modelRepository)
    {
        var localModelRepository = modelRepository.TrimEnd('/');
        return builder.AddContainer(name, TritonContainerImageTags.Image, TritonContainerImageTags.Tag)
            .WithArgs("tritonserver", $"--model-repository={ModelRepositoryTarget}", "--strict-readiness=true", "--exit-on-error=true")
            .WithVolume("healthai-models", ModelRepositoryTarget, isReadOnly: true)
            .WithHttpEndpoint(port: 8000, targetPort: 8000)
            .WithEndpoint("grpc", "http", "http2", port: 8001, targetPort: 8001)
            .WithHttpEndpoint(port: 8002, targetPort: 8002, name: "metrics")
            .WithHttpHealthCheck("/v2/health/ready")
            .WithHttpLivenessCheck("/v2/health/live")
            .WithGpuSupport()
            .WithAnnotation(new LocalProjectAnnotation(new Projects.HealthAI_InferenceServer(), context =>
            [
                "--model-repository", Path.Combine(context.RepositoryRoot, localModelRepository),
                "--http-port", Port(context, "http"),
                "--grpc-port", Port(context, "grpc"),
                "--metrics-port", Port(context, "metrics"),
            ]))
            .WithAnnotation(new LocalPrerequisiteAnnotation(
                $"{localModelRepository}/distilbert-sst2/1/model.onnx",
                "bundled model distilbert-sst2",
                ["build-model", "--repository", localModelRepository]));

        static string Port(LocalLaunchContext context, string endpoint) =>
            context.Ports[endpoint].ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Ships a model configuration (dynamic batching) with the deployment, mounted over the model's config.pbtxt.</summary>
    public static IResourceBuilder<ContainerResource> WithModelConfiguration(this IResourceBuilder<ContainerResource> builder, string model, string configPbtxt) =>
        builder.WithAnnotation(new ConfigFileAnnotation($"{builder.Resource.Name}-model-config", $"{ModelRepositoryTarget}/{model}",
            new Dictionary<string, string> { ["config.pbtxt"] = configPbtxt }));
}
