using System.Globalization;

namespace HealthAI.InferenceServer.Hosting;

/// <summary>
/// tritonserver's flags, turned into <c>InferenceServer:*</c> configuration keys. Accepts <c>--flag value</c> and
/// <c>--flag=value</c>; boolean flags alone mean true. An unknown flag is an error that names it.
/// </summary>
public sealed class ServerCommandLine
{
    private enum Kind
    {
        Value,
        Integer,
        Boolean,
        List,
    }

    private static readonly Dictionary<string, (string Key, Kind Kind)> Flags = new(StringComparer.Ordinal)
    {
        ["--model-repository"] = (nameof(InferenceServerOptions.ModelRepositories), Kind.List),
        ["--model-store"] = (nameof(InferenceServerOptions.ModelRepositories), Kind.List),
        ["--http-port"] = (nameof(InferenceServerOptions.HttpPort), Kind.Integer),
        ["--grpc-port"] = (nameof(InferenceServerOptions.GrpcPort), Kind.Integer),
        ["--metrics-port"] = (nameof(InferenceServerOptions.MetricsPort), Kind.Integer),
        ["--host"] = (nameof(InferenceServerOptions.Host), Kind.Value),
        ["--model-control-mode"] = (nameof(InferenceServerOptions.ModelControlMode), Kind.Value),
        ["--repository-poll-secs"] = (nameof(InferenceServerOptions.RepositoryPollSeconds), Kind.Integer),
        ["--strict-readiness"] = (nameof(InferenceServerOptions.StrictReadiness), Kind.Boolean),
        ["--exit-on-error"] = (nameof(InferenceServerOptions.ExitOnError), Kind.Boolean),
        ["--load-model"] = (nameof(InferenceServerOptions.LoadModels), Kind.List),
        ["--bundled-model-preset"] = (nameof(InferenceServerOptions.BundledModelPreset), Kind.Value),
        ["--intra-op-threads"] = (nameof(InferenceServerOptions.IntraOpThreads), Kind.Integer),
    };

    private ServerCommandLine(Dictionary<string, string?> settings, bool helpRequested)
    {
        Settings = settings;
        HelpRequested = helpRequested;
    }

    /// <summary>Configuration keys and values (e.g. <c>InferenceServer:HttpPort</c> = <c>0</c>).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public bool HelpRequested { get; }

    public static string Usage =>
        "Usage: HealthAI.InferenceServer --model-repository <dir> [--model-repository <dir>...] [--http-port 8000] [--grpc-port 8001]\n" +
        "       [--metrics-port 8002] [--host 127.0.0.1] [--model-control-mode none|poll|explicit] [--repository-poll-secs 15]\n" +
        "       [--load-model <name>|*] [--strict-readiness true|false] [--exit-on-error true|false] [--intra-op-threads N]\n" +
        "       [--bundled-model-preset distilbert-base|tiny|none]\n" +
        "       HealthAI.InferenceServer build-model [options]   (writes the bundled model repository)";

    public static bool TryParse(IReadOnlyList<string> args, out ServerCommandLine commandLine, out string error)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        commandLine = new ServerCommandLine(settings, false);
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                commandLine = new ServerCommandLine(settings, true);
                return true;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"Unexpected argument '{arg}'.\n{Usage}";
                return false;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = equals > 0 ? arg[..equals] : arg;
            string? value = equals > 0 ? arg[(equals + 1)..] : null;
            if (!Flags.TryGetValue(flag, out var spec))
            {
                error = $"Unknown flag '{flag}'.\n{Usage}";
                return false;
            }

            if (value is null)
            {
                var hasNext = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                if (spec.Kind == Kind.Boolean && !(hasNext && args[i + 1] is "true" or "false" or "1" or "0"))
                {
                    value = "true";
                }
                else if (hasNext)
                {
                    value = args[++i];
                }
                else
                {
                    error = $"Flag '{flag}' needs a value.";
                    return false;
                }
            }

            if (!TryNormalize(flag, spec.Kind, value, out var normalized, out error))
            {
                return false;
            }

            var key = InferenceServerOptions.SectionName + ":" + spec.Key;
            if (spec.Kind == Kind.List)
            {
                counts.TryGetValue(spec.Key, out var index);
                settings[$"{key}:{index}"] = normalized;
                counts[spec.Key] = index + 1;
            }
            else
            {
                settings[key] = normalized;
            }
        }

        return true;
    }

    private static bool TryNormalize(string flag, Kind kind, string value, out string normalized, out string error)
    {
        normalized = value;
        error = "";
        switch (kind)
        {
            case Kind.Integer when !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                error = $"Flag '{flag}' needs an integer, not '{value}'.";
                return false;
            case Kind.Boolean:
                normalized = value switch { "1" or "true" or "True" => "true", "0" or "false" or "False" => "false", _ => "" };
                if (normalized.Length == 0)
                {
                    error = $"Flag '{flag}' needs true or false, not '{value}'.";
                    return false;
                }

                return true;
            case Kind.Value when flag == "--model-control-mode" && value is not ("none" or "poll" or "explicit"):
                error = $"Flag '{flag}' must be none, poll or explicit, not '{value}'.";
                return false;
            default:
                return true;
        }
    }
}
