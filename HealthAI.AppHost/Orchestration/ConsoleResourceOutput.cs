namespace HealthAI.AppHost.Orchestration;

/// <summary>Forwards each child's lines to the console, prefixed with the resource name in its own colour.</summary>
public sealed class ConsoleResourceOutput : IResourceOutput
{
    private static readonly string[] Colours = ["\u001b[36m", "\u001b[35m", "\u001b[33m", "\u001b[32m", "\u001b[34m", "\u001b[91m"];
    private readonly Dictionary<string, string> _assigned = new(StringComparer.Ordinal);
    private readonly bool _colour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private readonly Lock _lock = new();

    public void WriteLine(string resource, string line, bool isError)
    {
        lock (_lock)
        {
            if (!_assigned.TryGetValue(resource, out var colour))
            {
                colour = Colours[_assigned.Count % Colours.Length];
                _assigned[resource] = colour;
            }

            var prefix = _colour ? $"{colour}{resource,-10}\u001b[0m" : $"{resource,-10}";
            (isError ? Console.Error : Console.Out).WriteLine($"{prefix} | {line}");
        }
    }
}
