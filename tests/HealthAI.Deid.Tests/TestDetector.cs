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
}
