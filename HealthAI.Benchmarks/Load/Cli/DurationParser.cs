using System.Globalization;

namespace HealthAI.Benchmarks.Load.Cli;

/// <summary>Parses durations as people type them: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>, or a plain number of seconds.</summary>
public static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], TimeSpan.FromMilliseconds(1))
            : text.EndsWith('s') ? (text[..^1], TimeSpan.FromSeconds(1))
            : text.EndsWith('m') ? (text[..^1], TimeSpan.FromMinutes(1))
            : text.EndsWith('h') ? (text[..^1], TimeSpan.FromHours(1))
            : (text, TimeSpan.FromSeconds(1));
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || double.IsNaN(value) || value < 0 || value > 1_000_000)
        {
            return false;
        }

        duration = unit * value;
        return true;
    }
}
