namespace HealthAI.AppHost.ApplicationModel;

/// <summary>Collects the resources Program.cs declares, in declaration order (the order every output keeps).</summary>
public sealed class DistributedApplicationBuilder(string[] args)
{
    private readonly List<Resource> _resources = [];

    public IReadOnlyList<string> Args { get; } = args;

    public IReadOnlyList<Resource> Resources => _resources;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' is already declared.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    public DistributedApplication Build() => new(new DistributedApplicationModel(_resources.ToArray()), Args);

    private sealed class ResourceBuilder<T>(DistributedApplicationBuilder applicationBuilder, T resource) : IResourceBuilder<T>
        where T : Resource
    {
        public DistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;

        public T Resource { get; } = resource;

        public IResourceBuilder<T> WithAnnotation(IResourceAnnotation annotation)
        {
            Resource.Annotations.Add(annotation);
            return this;
        }
    }
}

/// <summary>Fluent access to one declared resource.</summary>
public interface IResourceBuilder<out T> where T : Resource
{
    DistributedApplicationBuilder ApplicationBuilder { get; }

    T Resource { get; }

    IResourceBuilder<T> WithAnnotation(IResourceAnnotation annotation);
}

/// <summary>The finished model: resources in declaration order.</summary>
public sealed record DistributedApplicationModel(IReadOnlyList<Resource> Resources)
{
    public Resource this[string name] =>
        Resources.FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"No resource named '{name}'.");

    /// <summary>Resources that call <paramref name="target"/> (declared WithReference to it).</summary>
    public IEnumerable<Resource> CallersOf(Resource target) =>
        Resources.Where(r => r.AnnotationsOf<ReferenceAnnotation>().Any(a => a.Target == target));

    /// <summary>Services and containers in an order where every resource comes after what it waits for or references.</summary>
    public IReadOnlyList<Resource> StartOrder()
    {
        var ordered = new List<Resource>();
        var visiting = new HashSet<Resource>();
        foreach (var resource in Resources.Where(r => r is not ParameterResource))
        {
            Visit(resource);
        }

        return ordered;

        void Visit(Resource resource)
        {
            if (ordered.Contains(resource))
            {
                return;
            }

            if (!visiting.Add(resource))
            {
                throw new InvalidOperationException($"Resource '{resource.Name}' waits for itself through a cycle.");
            }

            foreach (var dependency in DependenciesOf(resource))
            {
                Visit(dependency);
            }

            ordered.Add(resource);
        }
    }

    public static IEnumerable<Resource> DependenciesOf(Resource resource) =>
        resource.AnnotationsOf<WaitAnnotation>().Select(a => a.Target)
            .Concat(resource.AnnotationsOf<ReferenceAnnotation>().Select(a => a.Target))
            .Where(r => r is not ParameterResource)
            .Distinct();
}
