using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Forwarding;

/// <summary>
/// Checks every route and cluster and reports all problems at once (as YARP's ConfigValidator does), each naming its key.
/// </summary>
internal sealed class ReverseProxyOptionsValidator : IValidateOptions<ReverseProxyOptions>
{
    private const string Section = ReverseProxyOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ReverseProxyOptions options)
    {
        var errors = new List<string>();
        foreach (var (id, route) in options.Routes)
        {
            if (string.IsNullOrWhiteSpace(route.ClusterId))
            {
                errors.Add($"'{Section}:Routes:{id}:ClusterId' is required.");
            }
            else if (!options.Clusters.ContainsKey(route.ClusterId))
            {
                errors.Add($"'{Section}:Routes:{id}:ClusterId' names cluster '{route.ClusterId}', which is not in '{Section}:Clusters'.");
            }

            if (string.IsNullOrWhiteSpace(route.Match.Path))
            {
                errors.Add($"'{Section}:Routes:{id}:Match:Path' is required.");
            }
            else
            {
                try
                {
                    RoutePatternFactory.Parse(route.Match.Path);
                }
                catch (RoutePatternException)
                {
                    errors.Add($"'{Section}:Routes:{id}:Match:Path' is not a valid route pattern.");
                }
            }

            for (var i = 0; i < route.Match.Methods.Count; i++)
            {
                if (!HttpMethods.IsGet(route.Match.Methods[i]) && !HttpMethods.IsPost(route.Match.Methods[i]) && !HttpMethods.IsPut(route.Match.Methods[i])
                    && !HttpMethods.IsDelete(route.Match.Methods[i]) && !HttpMethods.IsHead(route.Match.Methods[i])
                    && !HttpMethods.IsPatch(route.Match.Methods[i]) && !HttpMethods.IsOptions(route.Match.Methods[i]))
                {
                    errors.Add($"'{Section}:Routes:{id}:Match:Methods:{i}' is not an HTTP method.");
                }
            }
        }

        foreach (var (id, cluster) in options.Clusters)
        {
            if (cluster.Destinations.Count == 0)
            {
                errors.Add($"'{Section}:Clusters:{id}:Destinations' needs at least one destination.");
            }

            foreach (var (destinationId, destination) in cluster.Destinations)
            {
                if (!Uri.TryCreate(destination.Address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    errors.Add($"'{Section}:Clusters:{id}:Destinations:{destinationId}:Address' must be an absolute http(s) address.");
                }
            }

            if (cluster.HttpRequest.ActivityTimeout is { } timeout && timeout <= TimeSpan.Zero)
            {
                errors.Add($"'{Section}:Clusters:{id}:HttpRequest:ActivityTimeout' must be positive.");
            }

            if (cluster.HttpClient.MaxConnectionsPerServer is < 1)
            {
                errors.Add($"'{Section}:Clusters:{id}:HttpClient:MaxConnectionsPerServer' must be at least 1.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
