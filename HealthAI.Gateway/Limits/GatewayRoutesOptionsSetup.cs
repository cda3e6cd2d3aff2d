using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Limits;

/// <summary>Binds <c>Gateway:Routes:{id}</c> into the route table and checks every entry at start-up.</summary>
internal sealed class GatewayRoutesOptionsSetup(IConfiguration configuration)
    : IConfigureOptions<GatewayRoutesOptions>, IValidateOptions<GatewayRoutesOptions>
{
    public void Configure(GatewayRoutesOptions options)
    {
        foreach (var section in configuration.GetSection(GatewayRoutesOptions.SectionName).GetChildren())
        {
            var route = new GatewayRouteOptions();
            section.Bind(route);
            options.Routes[section.Key] = route;
        }
    }

    public ValidateOptionsResult Validate(string? name, GatewayRoutesOptions options)
    {
        var errors = new List<string>();
        foreach (var (id, route) in options.Routes)
        {
            if (route.MaxRequestBodyBytes is < 0 or > 64L * 1024 * 1024)
            {
                errors.Add($"'{GatewayRoutesOptions.SectionName}:{id}:MaxRequestBodyBytes' must be between 0 and 67108864.");
            }

            for (var i = 0; i < route.ContentTypes.Count; i++)
            {
                var type = route.ContentTypes[i];
                var slash = type.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || slash == type.Length - 1 || type.Contains(';', StringComparison.Ordinal))
                {
                    errors.Add($"'{GatewayRoutesOptions.SectionName}:{id}:ContentTypes:{i}' must be a media type such as 'application/json'.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
