using System.Text;
using HealthAI.Gateway.Forwarding;
using HealthAI.Gateway.Limits;
using Microsoft.AspNetCore.Routing.Patterns;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>How a forwarded route is authorized, in YARP's spelling: nobody checked, any authenticated caller, or a named policy.</summary>
internal enum RouteAuthorization
{
    Anonymous,
    Default,
    Policy,
}

/// <summary>One forwarded route as the connection-level forwarder sees it: its match, cluster, limits and authorization.</summary>
internal sealed class ConnectionRoute
{
    public required int Index { get; init; }

    public required string RouteId { get; init; }

    /// <summary>The name of the activity each forwarded request of this route gets when traces are recorded.</summary>
    public string ActivityName => field ??= "forward " + RouteId;

    public required ForwardedCluster Cluster { get; init; }

    public required GatewayRouteOptions Limits { get; init; }

    public required RouteAuthorization Authorization { get; init; }

    /// <summary>The named policy when <see cref="Authorization"/> is <see cref="RouteAuthorization.Policy"/>.</summary>
    public string? PolicyName { get; init; }

    /// <summary>The scopes the policy demands, as the audit trail records them: filled in by the route's first authorization, which
    /// precedes any record that reads them (named policies are fixed at start-up, so every authorization writes the same list).</summary>
    public IReadOnlyList<string> Scopes { get; set; } = [];

    internal required int MethodMask { get; init; }

    // One entry per path segment: the literal's bytes, or null for a {parameter} segment.
    internal required byte[]?[] Segments { get; init; }
}

/// <summary>
/// The forwarded routes whose patterns are plain enough to match on raw bytes: literal segments and whole-segment parameters,
/// matched the way endpoint routing does (literals case-insensitively, a parameter takes one non-empty segment). A route with
/// constraints, optional or catch-all parameters is left to endpoint routing, and so is any path two routes would both match.
/// </summary>
internal sealed class ForwardedRouteTable
{
    private readonly ConnectionRoute[] _routes;

    public ForwardedRouteTable(ReverseProxyOptions proxy, GatewayRoutesOptions limits, ForwardedClusters clusters)
    {
        var routes = new List<ConnectionRoute>();
        foreach (var (routeId, route) in proxy.Routes)
        {
            if (!limits.Routes.TryGetValue(routeId, out var routeLimits) || Compile(route.Match.Path!) is not { } segments
                || MethodMaskOf(route.Match.Methods) is not { } methodMask)
            {
                continue;
            }

            var (authorization, policy) = route.AuthorizationPolicy switch
            {
                { } name when string.Equals(name, ForwardedRoutes.AnonymousPolicy, StringComparison.OrdinalIgnoreCase) => (RouteAuthorization.Anonymous, null),
                { Length: > 0 } name when !string.Equals(name, ForwardedRoutes.DefaultPolicy, StringComparison.OrdinalIgnoreCase) => (RouteAuthorization.Policy, name),
                _ => (RouteAuthorization.Default, (string?)null),
            };
            routes.Add(new ConnectionRoute
            {
                Index = routes.Count,
                RouteId = routeId,
                Cluster = clusters.Get(route.ClusterId!),
                Limits = routeLimits,
                Authorization = authorization,
                PolicyName = policy,
                MethodMask = methodMask,
                Segments = segments,
            });
        }

        _routes = [.. routes];
    }

    public IReadOnlyList<ConnectionRoute> Routes => _routes;

    /// <summary>The one route that matches, or null when none or more than one does.</summary>
    public ConnectionRoute? Match(Http1Method method, ReadOnlySpan<byte> path)
    {
        ConnectionRoute? found = null;
        foreach (var route in _routes)
        {
            if ((route.MethodMask & (1 << (int)method)) != 0 && Matches(route.Segments, path))
            {
                if (found is not null)
                {
                    return null;
                }

                found = route;
            }
        }

        return found;
    }

    private static bool Matches(byte[]?[] segments, ReadOnlySpan<byte> path)
    {
        // The parser admits only paths that start with '/', hold no empty or dot segment and need no decoding.
        if (path.Length < 2 || path[^1] == (byte)'/')
        {
            return false;
        }

        var rest = path[1..];
        foreach (var literal in segments)
        {
            if (rest.IsEmpty)
            {
                return false;
            }

            var slash = rest.IndexOf((byte)'/');
            var segment = slash < 0 ? rest : rest[..slash];
            if (literal is not null && !System.Text.Ascii.EqualsIgnoreCase(segment, literal))
            {
                return false;
            }

            rest = slash < 0 ? [] : rest[(slash + 1)..];
            if (slash >= 0 && rest.IsEmpty)
            {
                return false;
            }
        }

        return rest.IsEmpty;
    }

    private static byte[]?[]? Compile(string template)
    {
        var pattern = RoutePatternFactory.Parse(template);
        var segments = new byte[]?[pattern.PathSegments.Count];
        for (var i = 0; i < segments.Length; i++)
        {
            var parts = pattern.PathSegments[i].Parts;
            if (parts.Count != 1)
            {
                return null;
            }

            switch (parts[0])
            {
                case RoutePatternLiteralPart literal when literal.Content.Length > 0 && Ascii.IsValid(literal.Content):
                    segments[i] = Encoding.ASCII.GetBytes(literal.Content);
                    break;
                case RoutePatternParameterPart { IsCatchAll: false, IsOptional: false, Default: null, ParameterPolicies.Count: 0 }:
                    segments[i] = null;
                    break;
                default:
                    return null;
            }
        }

        return segments;
    }

    // In the order of Http1Method.
    private static readonly string[] MethodNames = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>The method's name as the audit trail writes it.</summary>
    public static string MethodName(Http1Method method) => MethodNames[(int)method];

    // A route with no methods listed takes them all; a method outside the parser's set keeps the route on endpoint routing.
    private static int? MethodMaskOf(List<string> methods)
    {
        if (methods.Count == 0)
        {
            return (1 << MethodNames.Length) - 1;
        }

        var mask = 0;
        foreach (var method in methods)
        {
            var index = Array.FindIndex(MethodNames, m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return null;
            }

            mask |= 1 << index;
        }

        return mask;
    }
}
