using HealthAI.Gateway.Limits;
using HealthAI.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Forwarding;

/// <summary>Maps every <c>ReverseProxy:Routes</c> entry to an endpoint that forwards to its cluster.</summary>
public static class ForwardedRoutes
{
    /// <summary>The authorization value that lets anyone through (YARP's spelling).</summary>
    public const string AnonymousPolicy = "Anonymous";

    /// <summary>The authorization value meaning "any authenticated caller" (YARP's spelling).</summary>
    public const string DefaultPolicy = "Default";

    /// <summary>Maps the forwarded routes. Each carries its route-table id, so limits, rate limiting and audit apply.</summary>
    public static IEndpointRouteBuilder MapForwardedRoutes(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<ReverseProxyOptions>>().Value;
        var routeTable = app.ServiceProvider.GetRequiredService<IOptions<GatewayRoutesOptions>>().Value.Routes;
        var clusters = app.ServiceProvider.GetRequiredService<ForwardedClusters>();
        foreach (var (routeId, route) in options.Routes)
        {
            var cluster = clusters.Get(route.ClusterId!);
            var id = routeId;

            // A Delegate (not a RequestDelegate) so the route shows in the OpenAPI document with its path parameters.
            var endpoint = app.MapMethods(route.Match.Path!, route.Match.Methods.Count > 0 ? route.Match.Methods : AllMethods,
                    (HttpContext context, HttpForwarder forwarder, IProblemDetailsService problems) => ForwardAsync(context, forwarder, problems, cluster, id))
                .WithName(routeId)
                .WithTags("Forwarded")
                .WithSummary($"Forwarded to the '{route.ClusterId}' service.")
                .WithMetadata(new GatewayRouteMetadata(routeId))
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status429TooManyRequests)
                .ProducesProblem(StatusCodes.Status502BadGateway)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
                .ProducesProblem(StatusCodes.Status504GatewayTimeout);
            if (route.Order is { } order)
            {
                endpoint.WithOrder(order);
            }

            if (routeTable.TryGetValue(routeId, out var limits) && limits.ContentTypes.Count > 0)
            {
                // A route that takes a body has the route table's answers; the body itself is the destination's to describe.
                endpoint.ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
            }

            switch (route.AuthorizationPolicy)
            {
                case { } policy when string.Equals(policy, AnonymousPolicy, StringComparison.OrdinalIgnoreCase):
                    endpoint.AllowAnonymous();
                    break;
                case { Length: > 0 } policy when !string.Equals(policy, DefaultPolicy, StringComparison.OrdinalIgnoreCase):
                    endpoint.RequireAuthorization(policy);
                    break;
                default:
                    endpoint.RequireAuthorization();
                    break;
            }
        }

        return app;
    }

    private static readonly string[] AllMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    private static async Task ForwardAsync(HttpContext context, HttpForwarder forwarder, IProblemDetailsService problems, ForwardedCluster cluster, string routeId)
    {
        var error = await forwarder.SendAsync(context, cluster, routeId);
        if (error is ForwarderError.None || context.Response.HasStarted)
        {
            return;
        }

        var status = HttpForwarder.StatusCodeOf(error);
        context.Response.StatusCode = status;
        if (status == 499)
        {
            return;
        }

        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = status,
                Title = error switch
                {
                    ForwarderError.RequestTimedOut => "The upstream service timed out.",
                    ForwarderError.NoAvailableDestinations => "The upstream service is unavailable.",
                    _ => "The upstream service could not be reached.",
                },
                Extensions = { ["forwarderError"] = error.ToString() },
            },
        });
    }
}

/// <summary>Every cluster's runtime state, built once at start-up from validated configuration.</summary>
internal sealed class ForwardedClusters : IDisposable
{
    // YARP's default activity timeout.
    private static readonly TimeSpan DefaultActivityTimeout = TimeSpan.FromSeconds(100);

    private readonly Dictionary<string, ForwardedCluster> _clusters = new(StringComparer.Ordinal);

    public ForwardedClusters(IOptions<ReverseProxyOptions> options, ServiceEndpointResolver resolver)
    {
        foreach (var (id, config) in options.Value.Clusters)
        {
            Uri? address = null;
            foreach (var destination in config.Destinations.Values)
            {
                address = new Uri(destination.Address!);
                break;
            }

            _clusters[id] = new ForwardedCluster(id, address!, ForwarderHttpClientFactory.Create(config.HttpClient),
                config.HttpRequest.ActivityTimeout ?? DefaultActivityTimeout, resolver);
        }
    }

    public ForwardedCluster Get(string id) => _clusters[id];

    public void Dispose()
    {
        foreach (var cluster in _clusters.Values)
        {
            cluster.Invoker.Dispose();
        }
    }
}
