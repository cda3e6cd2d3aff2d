using System.Text.Json;
using HealthAI.AppHost.ApplicationModel;

namespace HealthAI.AppHost.DevelopmentSecrets;

/// <summary>
/// Parameter values for local runs. Order: configuration (`Parameters:&lt;name&gt;`, e.g. the environment variable
/// `Parameters__jwt-signing-key`), then values generated once into `.healthai/parameters.json` (mode 600), then the declared default.
/// </summary>
public sealed class DevelopmentSecretStore(string stateDirectory, Func<string, string?> configuration)
{
    public const string FileName = "parameters.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string FilePath => Path.Combine(stateDirectory, FileName);

    public IReadOnlyDictionary<string, string> Resolve(IEnumerable<ParameterResource> parameters)
    {
        var stored = Load();
        var generatedAny = false;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            if (configuration(parameter.ConfigurationKey) is { Length: > 0 } configured)
            {
                values[parameter.Name] = configured;
            }
            else if (parameter.DevelopmentValueFactory is { } factory)
            {
                if (!stored.TryGetValue(parameter.Name, out var value))
                {
                    value = factory();
                    stored[parameter.Name] = value;
                    generatedAny = true;
                }

                values[parameter.Name] = value;
            }
            else if (parameter.DefaultValue is { } defaultValue)
            {
                values[parameter.Name] = defaultValue;
            }
            else
            {
                throw new InvalidOperationException(
                    $"Parameter '{parameter.Name}' has no value: set the configuration key '{parameter.ConfigurationKey}' " +
                    $"(environment variable 'Parameters__{parameter.Name}').");
            }
        }

        if (generatedAny)
        {
            Save(stored);
        }

        return values;
    }

    private Dictionary<string, string> Load()
    {
        if (!File.Exists(FilePath))
        {
            return new(StringComparer.Ordinal);
        }

        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(FilePath)) ?? new(StringComparer.Ordinal);
    }

    private void Save(Dictionary<string, string> values) =>
        PrivateFile.Write(FilePath, JsonSerializer.Serialize(values, Indented));
}

/// <summary>Writes files only the current user can read (directory 700, file 600), created with those modes from the start.</summary>
public static class PrivateFile
{
    public static void Write(string path, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to new files; tighten an existing one too.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
