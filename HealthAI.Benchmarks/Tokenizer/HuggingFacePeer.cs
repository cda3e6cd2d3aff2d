using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace HealthAI.Benchmarks.Tokenizer;

/// <summary>
/// Runs HuggingFace tokenizers (Rust, through its official Node binding, tools/tokenizer-conformance/peer-benchmark.mjs) on the
/// same corpus, in the same benchmark run, and keeps its tokens/s where the summary columns can read it.
/// </summary>
public static class HuggingFacePeer
{
    /// <summary>Where the peer's figures of the current run are kept (benchmark processes and the host share it).</summary>
    public static string ResultPath(string threads) =>
        Path.Combine(Path.GetTempPath(), $"healthai-tokenizer-peer-{threads}.json");

    /// <summary>Measures the peer with RAYON_NUM_THREADS=<paramref name="threads"/> ("all" = the library's default).</summary>
    public static void Measure(IReadOnlyList<string> corpus, string threads, double seconds)
    {
        var resultPath = ResultPath(threads);
        File.Delete(resultPath);
        var script = Path.Combine(FindRepositoryRoot(), "tools", "tokenizer-conformance", "peer-benchmark.mjs");
        var corpusPath = Path.Combine(Path.GetTempPath(), "healthai-tokenizer-corpus.txt");
        File.WriteAllLines(corpusPath, corpus);
        var start = new ProcessStartInfo("node", [script, corpusPath, seconds.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (threads != "all")
        {
            start.Environment["RAYON_NUM_THREADS"] = threads;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"peer-benchmark.mjs failed ({process.ExitCode}); run `npm pack tokenizers@0.23.2 && npm ci` in tools/tokenizer-conformance. {error}");
        }

        File.WriteAllText(resultPath, output.Trim());
        Console.WriteLine($"// HuggingFace peer (RAYON_NUM_THREADS={threads}): {output.Trim()}");
    }

    /// <summary>The peer's tokens/s from this run, or null when it was not measured.</summary>
    public static double? TokensPerSecond(string threads)
    {
        var path = ResultPath(threads);
        if (!File.Exists(path))
        {
            return null;
        }

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("tokensPerSecond").GetDouble();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HealthAI.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("HealthAI.sln not found above " + AppContext.BaseDirectory);
    }
}
