namespace HealthAI.AppHost.ApplicationModel;

/// <summary>A named part of the distributed application; its behaviour comes from the annotations its builder adds.</summary>
public abstract class Resource(string name)
{
    public string Name { get; } = name;

    public IList<IResourceAnnotation> Annotations { get; } = [];

    public IEnumerable<T> AnnotationsOf<T>() where T : IResourceAnnotation => Annotations.OfType<T>();

    public IEnumerable<EndpointAnnotation> Endpoints => AnnotationsOf<EndpointAnnotation>();

    public EndpointAnnotation GetEndpoint(string endpointName) =>
        Endpoints.FirstOrDefault(e => e.Name == endpointName)
        ?? throw new InvalidOperationException($"Resource '{Name}' has no endpoint named '{endpointName}'.");

    public override string ToString() => Name;
}

/// <summary>A .NET project: `project.v0` in the manifest, `dotnet &lt;dll&gt;` locally.</summary>
public sealed class ProjectResource(string name, IProjectMetadata project) : Resource(name)
{
    public IProjectMetadata Project { get; } = project;
}

/// <summary>A container image: `container.v0` in the manifest.</summary>
public sealed class ContainerResource(string name, string image, string tag) : Resource(name)
{
    public string Image { get; } = image;

    public string Tag { get; } = tag;

    public string ImageReference => $"{Image}:{Tag}";
}

/// <summary>An input supplied at deploy time (`parameter.v0`); secret ones never appear in generated files.</summary>
public sealed class ParameterResource(string name, bool secret, string? defaultValue) : Resource(name), IValueProvider
{
    public bool Secret { get; } = secret;

    /// <summary>A literal default written to the manifest (only for non-secret parameters).</summary>
    public string? DefaultValue { get; } = defaultValue;

    /// <summary>How a development value is generated on first local run when none is configured.</summary>
    public Func<string>? DevelopmentValueFactory { get; set; }

    /// <summary>The configuration key the local run reads first (`Parameters:&lt;name&gt;`, as Aspire does).</summary>
    public string ConfigurationKey => $"Parameters:{Name}";
}

/// <summary>The identity of a project the AppHost references: where its csproj lives, relative to the repository root.</summary>
public interface IProjectMetadata
{
    /// <summary>Path of the .csproj relative to the repository root, with forward slashes.</summary>
    string ProjectPath { get; }

    /// <summary>The assembly the project builds (the dll started locally with `dotnet`).</summary>
    string AssemblyName { get; }
}
