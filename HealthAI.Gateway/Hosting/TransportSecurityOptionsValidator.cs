using System.Net;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Hosting;

/// <summary>Checks proxy addresses and any configured certificate file at start-up, naming each bad key.</summary>
internal sealed class TransportSecurityOptionsValidator(IConfiguration configuration) : IValidateOptions<TransportSecurityOptions>
{
    private const string Section = TransportSecurityOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TransportSecurityOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                errors.Add($"'{Section}:KnownProxies:{i}' must be an IP address.");
            }
        }

        for (var i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(options.KnownNetworks[i], out _))
            {
                errors.Add($"'{Section}:KnownNetworks:{i}' must be a CIDR network such as 10.0.0.0/8.");
            }
        }

        if (options.ForwardLimit is < 1 or > 10)
        {
            errors.Add($"'{Section}:ForwardLimit' must be between 1 and 10.");
        }

        if (options.HstsMaxAge < TimeSpan.Zero)
        {
            errors.Add($"'{Section}:HstsMaxAge' must not be negative.");
        }

        // Kestrel reports a missing certificate too, but only when it binds, and without saying which key to fix.
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            foreach (var key in (string[])["Path", "KeyPath"])
            {
                var path = endpoint[$"Certificate:{key}"];
                if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
                {
                    errors.Add($"'Kestrel:Endpoints:{endpoint.Key}:Certificate:{key}' names a file that does not exist.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
