using System.Collections.Concurrent;
using HealthAI.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.Primitives;

namespace HealthAI.Gateway.Pipeline;

/// <summary>
/// The physical addresses of the pipeline's calls (<c>http://deid/v1/deidentify</c> becomes <c>http://127.0.0.1:5081/v1/deidentify</c>),
/// resolved through service discovery once and kept until configuration reloads, as the forwarder keeps its destinations.
/// Resolving reads the <c>services:*</c> configuration section, which is far too slow to repeat on every hop of every request.
/// </summary>
/// <remarks>
/// A resolution failure is not cached, so an endpoint configured later is picked up (and each attempt before that fails the
/// hop with 503). With several endpoints under one name, the first resolved is kept until the next reload; in Kubernetes the
/// name is one Service that balances across replicas itself.
/// </remarks>
public sealed class DownstreamEndpoints : IDisposable
{
    private readonly ServiceEndpointResolver _resolver;
    private readonly IDisposable _reloadRegistration;
    private ConcurrentDictionary<string, Uri> _resolved = new(StringComparer.Ordinal);

    /// <summary>Creates the cache; it empties itself whenever <paramref name="configuration"/> reloads.</summary>
    public DownstreamEndpoints(ServiceEndpointResolver resolver, IConfiguration configuration)
    {
        _resolver = resolver;
        _reloadRegistration = ChangeToken.OnChange(configuration.GetReloadToken, () => _resolved = new(StringComparer.Ordinal));
    }

    /// <summary>
    /// The physical URI of <paramref name="logicalUri"/> (an absolute <c>http://service/path</c>). Throws
    /// <see cref="ServiceEndpointNotFoundException"/> when the service has no configured endpoint.
    /// </summary>
    public Uri Resolve(string logicalUri)
    {
        var resolved = _resolved;
        if (resolved.TryGetValue(logicalUri, out var physical))
        {
            return physical;
        }

        physical = _resolver.Resolve(new Uri(logicalUri, UriKind.Absolute));
        resolved[logicalUri] = physical;
        return physical;
    }

    /// <inheritdoc />
    public void Dispose() => _reloadRegistration.Dispose();
}
