using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthAI.Benchmarks.Reporting;

/// <summary>Writes and reads the JSON results file (camelCase, indented, stable across runs so results can be diffed).</summary>
public static class JsonReportWriter
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task WriteAsync(BenchmarkReport report, string path, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, report, Options, cancellationToken);
    }

    public static async Task<BenchmarkReport> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<BenchmarkReport>(stream, Options, cancellationToken)
            ?? throw new InvalidDataException($"'{path}' holds no benchmark report.");
    }
}
