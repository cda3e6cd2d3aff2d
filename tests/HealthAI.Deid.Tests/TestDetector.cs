using HealthAI.Deid.Detection;
using HealthAI.Deid.Detection.Lexicons;

namespace HealthAI.Deid.Tests;

/// <summary>One detector for the test run: loading the lexicons takes a moment.</summary>
public static class TestDetector
{
    private static readonly Lazy<PhiDetector> Shared = new(() => new PhiDetector(DeidLexicons.Load()));

    public static PhiDetector Instance => Shared.Value;

    /// <summary>The text of every detection, for readable assertion messages.</summary>
    public static IEnumerable<string> Texts(string text, IEnumerable<PhiSpan> spans) => spans.Select(s => $"{s.Type}:{text[s.Start..s.End]}({s.Rule})");

    /// <summary>Fails unless one detection covers <paramref name="value"/> (of <paramref name="type"/> when given).</summary>
    public static void AssertFound(string text, string value, PhiType? type = null)
    {
        var start = text.IndexOf(value, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{value}' is not in the sentence");
        var spans = Instance.Detect(text);
        Assert.True(spans.Any(s => s.Start <= start && s.End >= start + value.Length && (type is null || s.Type == type)),
            $"'{value}' not found as {type?.ToString() ?? "PHI"}; detections: {string.Join(", ", Texts(text, spans))}");
    }

    /// <summary>Fails if any detection touches <paramref name="value"/>.</summary>
    public static void AssertKept(string text, string value)
    {
        var start = text.IndexOf(value, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{value}' is not in the sentence");
        var hits = Instance.Detect(text).Where(s => s.Start < start + value.Length && start < s.End).ToList();
        Assert.True(hits.Count == 0, $"'{value}' was removed: {string.Join(", ", Texts(text, hits))}");
    }
}
