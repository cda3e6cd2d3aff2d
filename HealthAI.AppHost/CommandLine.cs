namespace HealthAI.AppHost;

/// <summary>The AppHost's small command line (Aspire 8 spells publishing `--publisher manifest --output-path X`, with or without `publish`).</summary>
public sealed record CommandLine
{
    public const string Usage = """
        usage: dotnet run --project HealthAI.AppHost [-- [--triton process|container] [--dynamic-ports]]
               dotnet run --project HealthAI.AppHost -- publish --publisher manifest|kubernetes --output-path <path>
               dotnet run --project HealthAI.AppHost -- token [--scope <scope>]... [--lifetime-hours <hours>]
        """;

    public string Verb { get; init; } = "run";

    public string? Publisher { get; init; }

    public string? OutputPath { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(8);

    public string Triton { get; init; } = "process";

    public bool DynamicPorts { get; init; }

    public string? Error { get; init; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine();
        var scopes = new List<string>();
        var index = 0;
        if (args.Count > 0 && args[0] is "publish" or "token" or "run")
        {
            result = result with { Verb = args[0] };
            index = 1;
        }

        for (; index < args.Count; index++)
        {
            var arg = args[index];
            string? Value() => index + 1 < args.Count ? args[++index] : null;
            switch (arg)
            {
                case "--publisher":
                    result = result with { Verb = "publish", Publisher = Value() };
                    break;
                case "--output-path":
                    result = result with { OutputPath = Value() };
                    break;
                case "--scope":
                    if (Value() is { } scope)
                    {
                        scopes.Add(scope);
                    }

                    break;
                case "--lifetime-hours":
                    result = double.TryParse(Value(), System.Globalization.CultureInfo.InvariantCulture, out var hours) && hours > 0
                        ? result with { TokenLifetime = TimeSpan.FromHours(hours) }
                        : result with { Error = "--lifetime-hours needs a positive number" };
                    break;
                case "--triton":
                    result = result with { Triton = Value() ?? "" };
                    break;
                case "--dynamic-ports":
                    result = result with { DynamicPorts = true };
                    break;
                default:
                    return result with { Error = $"unknown argument '{arg}'" };
            }
        }

        result = result with { Scopes = scopes.Count > 0 ? scopes : [DevelopmentSecrets.DevelopmentTokenIssuer.DefaultScope] };
        return result switch
        {
            { Error: not null } => result,
            { Verb: "publish", Publisher: not ("manifest" or "kubernetes") } => result with { Error = "--publisher must be 'manifest' or 'kubernetes'" },
            { Verb: "publish", OutputPath: null or "" } => result with { Error = "--output-path is required" },
            { Triton: not ("process" or "container") } => result with { Error = "--triton must be 'process' or 'container'" },
            _ => result,
        };
    }
}
