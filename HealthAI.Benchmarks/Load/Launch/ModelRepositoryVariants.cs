using System.Text;

namespace HealthAI.Benchmarks.Load.Launch;

/// <summary>
/// Derives the two model repositories the study compares from one: the same model with its <c>dynamic_batching { ... }</c>
/// block removed ("no batching") and with one present ("dynamic batching"; the source's own block is kept when it has one).
/// Files are linked where possible, copied otherwise; only config.pbtxt differs.
/// </summary>
public static class ModelRepositoryVariants
{
    /// <summary>The block added when the source config has none: Triton's usual preferred sizes and a 1 ms queue delay.</summary>
    public const string DefaultDynamicBatching = "dynamic_batching {\n  preferred_batch_size: [ 4, 8, 16 ]\n  max_queue_delay_microseconds: 1000\n}\n";

    public static (string NoBatching, string Batching) Create(string sourceRepository, string destination)
    {
        if (!Directory.Exists(sourceRepository))
        {
            throw new DirectoryNotFoundException($"--model-repository '{sourceRepository}' does not exist.");
        }

        var noBatching = Path.Combine(destination, "no-batching");
        var batching = Path.Combine(destination, "dynamic-batching");
        Copy(sourceRepository, noBatching, WithoutDynamicBatching);
        Copy(sourceRepository, batching, WithDynamicBatching);
        return (noBatching, batching);
    }

    /// <summary>The config text with every top-level <c>dynamic_batching { ... }</c> block removed (braces may nest).</summary>
    public static string WithoutDynamicBatching(string config)
    {
        var output = new StringBuilder(config.Length);
        var index = 0;
        while (true)
        {
            var start = config.IndexOf("dynamic_batching", index, StringComparison.Ordinal);
            if (start < 0)
            {
                output.Append(config, index, config.Length - index);
                return output.ToString();
            }

            var lineStart = config.LastIndexOf('\n', start) + 1;
            if (config.AsSpan(lineStart, start - lineStart).Contains('#'))
            {
                // Mentioned in a comment: keep the text as it is.
                var next = start + "dynamic_batching".Length;
                output.Append(config, index, next - index);
                index = next;
                continue;
            }

            var open = config.IndexOf('{', start);
            if (open < 0)
            {
                throw new FormatException("config.pbtxt: 'dynamic_batching' without a '{' block.");
            }

            var depth = 0;
            var end = open;
            for (; end < config.Length; end++)
            {
                depth += config[end] switch { '{' => 1, '}' => -1, _ => 0 };
                if (depth == 0)
                {
                    break;
                }
            }

            if (depth != 0)
            {
                throw new FormatException("config.pbtxt: unbalanced braces in 'dynamic_batching'.");
            }

            output.Append(config, index, start - index);
            index = end + 1;
        }
    }

    /// <summary>The config text with a dynamic_batching block (the existing one, or <see cref="DefaultDynamicBatching"/>).</summary>
    public static string WithDynamicBatching(string config) =>
        config.Contains("dynamic_batching", StringComparison.Ordinal) ? config : config.TrimEnd() + "\n" + DefaultDynamicBatching;

    private static void Copy(string source, string destination, Func<string, string> rewriteConfig)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            if (Path.GetFileName(file) == "config.pbtxt")
            {
                File.WriteAllText(target, rewriteConfig(File.ReadAllText(file)));
            }
            else
            {
                File.Copy(file, target, overwrite: true);
            }
        }
    }
}
