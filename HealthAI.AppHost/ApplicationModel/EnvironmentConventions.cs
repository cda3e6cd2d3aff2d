namespace HealthAI.AppHost.ApplicationModel;

/// <summary>Where the environment is being computed for: Aspire writes some variables only when publishing.</summary>
public enum ExecutionMode
{
    Run,
    Publish,
}

/// <summary>
/// The environment variables Aspire gives a resource, in Aspire's order: project defaults (`OTEL_DOTNET_EXPERIMENTAL_*`),
/// publish-only `ASPNETCORE_FORWARDEDHEADERS_ENABLED` and `HTTP_PORTS`, then references and explicit variables in declaration order.
/// A reference yields `&lt;NAME&gt;_&lt;ENDPOINT&gt;` and `services__&lt;name&gt;__&lt;endpoint&gt;__0` per endpoint of the target.
/// </summary>
public static class EnvironmentConventions
{
    public static IReadOnlyList<KeyValuePair<string, IValueProvider>> For(Resource resource, ExecutionMode mode)
    {
        var variables = new List<KeyValuePair<string, IValueProvider>>();
        if (resource is ProjectResource)
        {
            Add("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", new LiteralValue("true"));
            Add("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", new LiteralValue("true"));
            Add("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", new LiteralValue("in_memory"));
            if (mode == ExecutionMode.Publish && resource.Endpoints.Any())
            {
                Add("ASPNETCORE_FORWARDEDHEADERS_ENABLED", new LiteralValue("true"));
                foreach (var endpoint in resource.Endpoints.Where(e => e.Scheme == "http"))
                {
                    Add("HTTP_PORTS", new EndpointReference(resource, endpoint.Name, EndpointProperty.TargetPort));
                }
            }
        }

        foreach (var annotation in resource.Annotations)
        {
            switch (annotation)
            {
                case ReferenceAnnotation reference:
                    foreach (var endpoint in reference.Target.Endpoints)
                    {
                        var url = new EndpointReference(reference.Target, endpoint.Name);
                        Add($"{reference.Target.Name.ToUpperInvariant().Replace('-', '_')}_{endpoint.Name.ToUpperInvariant()}", url);
                        Add($"services__{reference.Target.Name}__{endpoint.Name}__0", url);
                    }

                    break;
                case EnvironmentAnnotation environment:
                    Add(environment.Name, environment.Value);
                    break;
            }
        }

        return variables;

        void Add(string name, IValueProvider value)
        {
            variables.RemoveAll(v => v.Key == name);
            variables.Add(new(name, value));
        }
    }
}
