namespace HealthAI.AppHost.ApplicationModel;

/// <summary>A value that each target renders its own way: a manifest expression, a Kubernetes value, a local string.</summary>
public interface IValueProvider;

/// <summary>A fixed string.</summary>
public sealed record LiteralValue(string Value) : IValueProvider;

/// <summary>Which part of an endpoint a reference produces.</summary>
public enum EndpointProperty
{
    Url,
    Host,
    Port,
    TargetPort,
}

/// <summary>A reference to another resource's endpoint (`{deid.bindings.http.url}` in the manifest).</summary>
public sealed record EndpointReference(Resource Resource, string EndpointName, EndpointProperty Property = EndpointProperty.Url)
    : IValueProvider
{
    public string ManifestExpression => "{" + Resource.Name + ".bindings." + EndpointName + "." + PropertyName + "}";

    private string PropertyName => Property switch
    {
        EndpointProperty.Url => "url",
        EndpointProperty.Host => "host",
        EndpointProperty.Port => "port",
        _ => "targetPort",
    };
}
