using System.Text.Json;
using HealthAI.AppHost.ApplicationModel;

namespace HealthAI.AppHost.Publishing;

/// <summary>
/// Writes `aspire-manifest.json` as Aspire's ManifestPublishingContext does: `$schema` then `resources`, 2-space indented,
/// `project.v0` / `container.v0` / `parameter.v0`, binding keys in the writer's order, `{x.bindings.ep.url}` expressions.
/// </summary>
public static class ManifestPublisher
{
    public const string SchemaUrl = "https://json.schemastore.org/aspire-8.0.json";
    public const string FileName = "aspire-manifest.json";

    /// <summary>Writes the manifest; a path not ending in .json is a directory (Aspire's rule).</summary>
    public static string Publish(DistributedApplicationModel model, string outputPath, string repositoryRoot)
    {
        var file = outputPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? outputPath : Path.Combine(outputPath, FileName);
        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(file, Render(model, directory, repositoryRoot));
        return file;
    }

    public static byte[] Render(DistributedApplicationModel model, string manifestDirectory, string repositoryRoot)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("$schema", SchemaUrl);
            writer.WriteStartObject("resources");
            foreach (var resource in model.Resources)
            {
                writer.WriteStartObject(resource.Name);
                switch (resource)
                {
                    case ParameterResource parameter:
                        WriteParameter(writer, parameter);
                        break;
                    case ProjectResource project:
                        writer.WriteString("type", "project.v0");
                        writer.WriteString("path", RelativePath(manifestDirectory, Path.Combine(repositoryRoot, project.Project.ProjectPath)));
                        WriteEnvironment(writer, resource);
                        WriteBindings(writer, resource);
                        break;
                    case ContainerResource container:
                        WriteContainer(writer, container);
                        break;
                    default:
                        writer.WriteString("error", "This resource does not support generation in the manifest.");
                        break;
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static void WriteParameter(Utf8JsonWriter writer, ParameterResource parameter)
    {
        writer.WriteString("type", "parameter.v0");
        writer.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        writer.WriteStartObject("inputs");
        writer.WriteStartObject("value");
        writer.WriteString("type", "string");
        if (parameter.Secret)
        {
            writer.WriteBoolean("secret", true);
        }

        if (parameter.DefaultValue is { } value)
        {
            writer.WriteStartObject("default");
            writer.WriteString("value", value);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteContainer(Utf8JsonWriter writer, ContainerResource container)
    {
        writer.WriteString("type", "container.v0");
        writer.WriteString("image", container.ImageReference);
        var args = container.AnnotationsOf<ArgsAnnotation>().SelectMany(a => a.Args).ToArray();
        if (args.Length > 0)
        {
            writer.WriteStartArray("args");
            foreach (var arg in args)
            {
                writer.WriteStringValue(arg);
            }

            writer.WriteEndArray();
        }

        var volumes = container.AnnotationsOf<VolumeAnnotation>().ToArray();
        if (volumes.Length > 0)
        {
            writer.WriteStartArray("volumes");
            foreach (var volume in volumes)
            {
                writer.WriteStartObject();
                writer.WriteString("name", volume.Name);
                writer.WriteString("target", volume.Target);
                writer.WriteBoolean("readOnly", volume.ReadOnly);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        WriteEnvironment(writer, container);
        WriteBindings(writer, container);
    }

    private static void WriteEnvironment(Utf8JsonWriter writer, Resource resource)
    {
        var variables = EnvironmentConventions.For(resource, ExecutionMode.Publish);
        if (variables.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("env");
        foreach (var (name, value) in variables)
        {
            writer.WriteString(name, Expression(value));
        }

        writer.WriteEndObject();
    }

    private static void WriteBindings(Utf8JsonWriter writer, Resource resource)
    {
        var endpoints = resource.Endpoints.ToArray();
        if (endpoints.Length == 0)
        {
            return;
        }

        writer.WriteStartObject("bindings");
        foreach (var endpoint in endpoints)
        {
            writer.WriteStartObject(endpoint.Name);
            writer.WriteString("scheme", endpoint.Scheme);
            writer.WriteString("protocol", "tcp");
            writer.WriteString("transport", endpoint.Transport);
            // A project's port is its local launch port, which Aspire leaves out of the manifest; deployments choose their own.
            if (resource is not ProjectResource && endpoint.Port is { } port && port != endpoint.TargetPort)
            {
                writer.WriteNumber("port", port);
            }

            if (endpoint.TargetPort is { } targetPort)
            {
                writer.WriteNumber("targetPort", targetPort);
            }

            if (endpoint.IsExternal)
            {
                writer.WriteBoolean("external", true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>The manifest expression for a value: literal text, `{p.value}`, or `{r.bindings.ep.url}`.</summary>
    public static string Expression(IValueProvider value) => value switch
    {
        LiteralValue literal => literal.Value,
        ParameterResource parameter => $"{{{parameter.Name}.value}}",
        EndpointReference endpoint => endpoint.ManifestExpression,
        _ => throw new NotSupportedException($"No manifest form for {value.GetType().Name}."),
    };

    private static string RelativePath(string fromDirectory, string path) =>
        Path.GetRelativePath(fromDirectory, path).Replace('\\', '/');
}
