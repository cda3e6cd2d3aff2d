using System.Globalization;
using System.Text;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Repository;

/// <summary>A model folder found in a repository.</summary>
public sealed record ModelDirectory(string Name, string Path);

/// <summary>Triton's repository layout rules: one folder per model, numeric version folders, the version policy.</summary>
public static class ModelRepositoryScanner
{
    /// <summary>Every model folder of every repository; hidden folders are skipped and the first repository wins a name clash.</summary>
    public static IReadOnlyList<ModelDirectory> Scan(IEnumerable<string> repositories)
    {
        var models = new Dictionary<string, ModelDirectory>(StringComparer.Ordinal);
        foreach (var repository in repositories)
        {
            if (!Directory.Exists(repository))
            {
                continue;
            }

            foreach (var directory in Directory.EnumerateDirectories(repository).Order(StringComparer.Ordinal))
            {
                var name = System.IO.Path.GetFileName(directory);
                if (!name.StartsWith('.'))
                {
                    models.TryAdd(name, new ModelDirectory(name, directory));
                }
            }
        }

        return [.. models.Values];
    }

    /// <summary>Numeric version folders; names that are not numbers or that start with 0 are ignored, as Triton does.</summary>
    public static IReadOnlyList<long> AvailableVersions(string modelDirectory)
    {
        var versions = new List<long>();
        foreach (var directory in Directory.EnumerateDirectories(modelDirectory))
        {
            var name = System.IO.Path.GetFileName(directory);
            if (name.Length > 0 && name[0] != '0'
                && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }

        versions.Sort();
        return versions;
    }

    /// <summary>The versions a policy selects from those available, ascending.</summary>
    public static IReadOnlyList<long> SelectVersions(ModelVersionPolicy policy, IReadOnlyList<long> available) =>
        policy.PolicyChoiceCase switch
        {
            ModelVersionPolicy.PolicyChoiceOneofCase.All => available,
            ModelVersionPolicy.PolicyChoiceOneofCase.Specific =>
                [.. available.Where(v => policy.Specific.Versions.Contains(v))],
            _ => [.. available.TakeLast((int)Math.Max(1, policy.Latest?.NumVersions ?? 1))],
        };

    /// <summary>
    /// What poll mode compares between scans: the config file's size and time, and each version folder with its files' times.
    /// </summary>
    public static string Fingerprint(string modelDirectory)
    {
        var builder = new StringBuilder();
        var config = new FileInfo(System.IO.Path.Combine(modelDirectory, "config.pbtxt"));
        builder.Append(config.Exists
            ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(config.FullName)))
            : "none");
        foreach (var version in AvailableVersions(modelDirectory))
        {
            builder.Append('|').Append(version);
            var directory = new DirectoryInfo(System.IO.Path.Combine(modelDirectory, version.ToString(CultureInfo.InvariantCulture)));
            foreach (var file in directory.EnumerateFileSystemInfos().OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                builder.Append(':').Append(file.Name).Append('@').Append(file.LastWriteTimeUtc.Ticks);
            }
        }

        return builder.ToString();
    }
}
