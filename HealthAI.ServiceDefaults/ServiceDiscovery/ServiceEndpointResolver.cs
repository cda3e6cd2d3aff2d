using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace HealthAI.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Resolves logical service addresses the way Aspire's configuration provider does: <c>http://deid</c> reads
/// <c>services:deid:http:0..n</c>, <c>http://_grpc.triton</c> reads <c>services:triton:grpc:0..n</c>, and
/// <c>https+http://deid</c> prefers the https endpoint. Several indices are used round-robin. Hosts with a dot (DNS names),
/// IP addresses and <c>localhost</c> pass through unchanged.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    /// <summary>The configuration section Aspire writes service endpoints under.</summary>
    public const string SectionName = "services";

    private readonly ConcurrentDictionary<string, int> _cursors = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the URI names a logical service this resolver must answer for.</summary>
    public static bool IsLogicalName(Uri uri)
    {
        var host = uri.IdnHost;
        if (host.StartsWith('_'))
        {
            return true;
        }

        return uri.HostNameType == UriHostNameType.Dns
            && !host.Contains('.', StringComparison.Ordinal)
            && !string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Returns the physical URI for a logical one, keeping path and query. Throws <see cref="ServiceEndpointNotFoundException"/>
    /// naming the configuration key to set when nothing is configured.
    /// </summary>
    public Uri Resolve(Uri requestUri)
    {
        if (!IsLogicalName(requestUri))
        {
            return requestUri;
        }

        var (serviceName, endpointNames) = ParseLogicalName(requestUri);
        foreach (var endpointName in endpointNames)
        {
            var endpoints = ReadEndpoints(serviceName, endpointName);
            if (endpoints.Count == 0)
            {
                continue;
            }

            var cursor = _cursors.AddOrUpdate($"{serviceName}/{endpointName}", 0, (_, c) => unchecked(c + 1));
            var target = endpoints[(int)((uint)cursor % (uint)endpoints.Count)];
            var builder = new UriBuilder(requestUri)
            {
                Scheme = target.Scheme,
                Host = target.Host,
                Port = target.Port,
            };
            return builder.Uri;
        }

        var key = $"{SectionName}:{serviceName}:{endpointNames[^1]}:0";
        throw new ServiceEndpointNotFoundException(serviceName, key);
    }

    private static (string Service, string[] Endpoints) ParseLogicalName(Uri uri)
    {
        var host = uri.IdnHost;
        if (host.StartsWith('_'))
        {
            var dot = host.IndexOf('.', StringComparison.Ordinal);
            if (dot > 1 && dot < host.Length - 1)
            {
                return (host[(dot + 1)..], [host[1..dot]]);
            }
        }

        // "https+http" is an ordered preference list; a plain scheme names the endpoint of the same name.
        var schemes = uri.Scheme.Split('+', StringSplitOptions.RemoveEmptyEntries);
        return (host, schemes);
    }

    private List<Uri> ReadEndpoints(string serviceName, string endpointName)
    {
        var section = configuration.GetSection($"{SectionName}:{serviceName}:{endpointName}");
        var result = new List<Uri>();
        foreach (var child in section.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue))
        {
            if (child.Value is { Length: > 0 } value)
            {
                if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
                {
                    throw new InvalidOperationException(
                        $"Configuration key '{child.Path}' must be an absolute URI such as http://127.0.0.1:5081.");
                }

                result.Add(uri);
            }
        }

        // A bare value under services:name:endpoint is accepted too.
        if (result.Count == 0 && section.Value is { Length: > 0 } single && Uri.TryCreate(single, UriKind.Absolute, out var one))
        {
            result.Add(one);
        }

        return result;
    }
}

/// <summary>No endpoint is configured for a logical service name.</summary>
public sealed class ServiceEndpointNotFoundException(string serviceName, string configurationKey)
    : InvalidOperationException(
        $"No endpoint is configured for service '{serviceName}'. Set configuration key '{configurationKey}' " +
        $"(environment variable '{configurationKey.Replace(":", "__", StringComparison.Ordinal)}').")
{
    /// <summary>The logical service name.</summary>
    public string ServiceName { get; } = serviceName;

    /// <summary>The configuration key that would resolve it.</summary>
    public string ConfigurationKey { get; } = configurationKey;
}
