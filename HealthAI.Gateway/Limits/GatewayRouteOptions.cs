namespace HealthAI.Gateway.Limits;

/// <summary>
/// The route table: per public route (by route id), the request media types it accepts and its body limit. Bound from
/// <c>Gateway:Routes</c>. Text and JSON go to the NLP pipeline; anything else (<c>image/*</c> included) is answered 415 with the
/// list of supported types.
/// </summary>
public sealed class GatewayRoutesOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:Routes";

    /// <summary>Routes by id.</summary>
    public Dictionary<string, GatewayRouteOptions> Routes { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The limits of one route.</summary>
public sealed class GatewayRouteOptions
{
    /// <summary>Accepted media types (<c>type/subtype</c>, parameters ignored); empty means the route takes no body.</summary>
    public List<string> ContentTypes { get; set; } = [];

    /// <summary>The largest request body in bytes; larger is answered 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}

/// <summary>Endpoint metadata naming the route-table entry that applies.</summary>
public sealed record GatewayRouteMetadata(string RouteId);
