using System.Globalization;

namespace HealthAI.Benchmarks.Load.Launch;

/// <summary>
/// Reads the inference server's ready line, <c>HealthAI.InferenceServer listening http=... grpc=... metrics=...</c>, where each
/// value is a URL or a bare port on loopback.
/// </summary>
public static class InferenceServerBanner
{
    public const string Prefix = "HealthAI.InferenceServer listening";

    public static bool IsBanner(string line) => line.Contains(Prefix, StringComparison.Ordinal);

    public static (Uri Http, Uri Grpc) Parse(string line)
    {
        Uri? http = null, grpc = null;
        var start = line.IndexOf(Prefix, StringComparison.Ordinal);
        foreach (var part in line[(start + Prefix.Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = part[..equals];
            var value = part[(equals + 1)..].TrimEnd(',', ';');
            var uri = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                ? new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}")
                : ToLoopback(value);
            if (key == "http")
            {
                http = uri;
            }
            else if (key == "grpc")
            {
                grpc = uri;
            }
        }

        return (http ?? throw new FormatException("The inference server banner has no http= address."),
            grpc ?? throw new FormatException("The inference server banner has no grpc= address."));
    }

    // Servers print what they bound: a wildcard host means "every interface", which a client reaches on loopback.
    private static Uri? ToLoopback(string value)
    {
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            value = "http://" + value;
        }

        if (!Uri.TryCreate(value.Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        return uri.Host is "0.0.0.0" or "[::]" or "::" ? new UriBuilder(uri) { Host = "127.0.0.1" }.Uri : uri;
    }
}
