using System.Text;

namespace HealthAI.EndToEnd.Tests.Phi;

internal static class LeakScanner
{
    /// <summary>Each (place, canary) where a canary was found in text.</summary>
    public static IEnumerable<string> Find(string place, IEnumerable<string> lines, IReadOnlyList<string> canaries) =>
        from line in lines
        from canary in canaries
        where line.Contains(canary, StringComparison.OrdinalIgnoreCase)
        select $"{place}: '{canary}' in: {Truncate(line)}";

    /// <summary>Each (place, canary) where a canary's UTF-8 bytes occur in a binary payload (protobuf strings are UTF-8).</summary>
    public static IEnumerable<string> FindInBytes(string place, IEnumerable<byte[]> payloads, IReadOnlyList<string> canaries) =>
        from payload in payloads
        from canary in canaries
        where payload.AsSpan().IndexOf(Encoding.UTF8.GetBytes(canary)) >= 0
        select $"{place}: '{canary}' in a {payload.Length}-byte payload";

    private static string Truncate(string line) => line.Length <= 300 ? line : line[..300] + "...";
}
