using HealthAI.ServiceDefaults.ServiceDiscovery;

namespace HealthAI.Gateway.Forwarding;

/// <summary>
/// The runtime state of one cluster: its connection pool and its destination, resolved through service discovery on first use
/// and then kept (a resolution failure is not cached, so a late-configured endpoint is picked up).
/// </summary>
internal sealed class ForwardedCluster(string id, Uri address, HttpMessageInvoker invoker, TimeSpan activityTimeout, ServiceEndpointResolver resolver)
{
    private string? _destinationPrefix;

    public string Id { get; } = id;

    public HttpMessageInvoker Invoker { get; } = invoker;

    public TimeSpan ActivityTimeout { get; } = activityTimeout;

    /// <summary>The destination's scheme, host, port and base path without a trailing slash; null when it cannot be resolved.</summary>
    public string? TryGetDestinationPrefix()
    {
        if (_destinationPrefix is { } cached)
        {
            return cached;
        }

        try
        {
            var resolved = resolver.Resolve(address);
            return _destinationPrefix = resolved.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }
        catch (ServiceEndpointNotFoundException)
        {
            return null;
        }
    }
}
