namespace HealthAI.Deid.Detection.Lexicons;

/// <summary>The context-word sets of the token recognizer, built once from <see cref="ClinicalVocabulary"/>.</summary>
internal sealed class ContextWords
{
    private readonly Dictionary<string, string[]> _eponymsByFirstWord;
    private readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _eponymLookup;

    public ContextWords()
    {
        Titles = new WordSet(ClinicalVocabulary.Titles.Select(t => t.TrimEnd('.')));
        Relations = new WordSet(ClinicalVocabulary.RelationWords);
        PlaceCues = new WordSet(ClinicalVocabulary.PlaceCues);
        Institutions = new WordSet(ClinicalVocabulary.InstitutionWords);
        Stop = new WordSet(ClinicalVocabulary.NeverNames.Concat(ClinicalVocabulary.GenericModifiers));
        Clinical = new WordSet(ClinicalVocabulary.Terms.Concat(ClinicalVocabulary.NotPhiPlaces));
        Credentials = new WordSet(ClinicalVocabulary.Credentials);
        PatientCues = new WordSet(ClinicalVocabulary.PatientCues);
        NameCuesAfter = new WordSet(ClinicalVocabulary.NameCuesAfter);
        ProperInstitutions = new WordSet(ClinicalVocabulary.ProperInstitutionWords);
        StatesAndCountries = new WordSet(ClinicalVocabulary.NotPhiPlaces);
        InstitutionsAfterPlaceCue = new WordSet(ClinicalVocabulary.InstitutionWordsAfterPlaceCue);
        InstitutionPhrases = ClinicalVocabulary.InstitutionPhrases.Select(p => p.Replace(".", "", StringComparison.Ordinal)).ToArray();
        _eponymsByFirstWord = ClinicalVocabulary.EponymPhrases
            .GroupBy(p => FirstWord(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Length).ToArray(), StringComparer.OrdinalIgnoreCase);
        _eponymLookup = _eponymsByFirstWord.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public WordSet Titles { get; }

    public WordSet Relations { get; }

    public WordSet PlaceCues { get; }

    public WordSet Institutions { get; }

    public WordSet Stop { get; }

    public WordSet Clinical { get; }

    public WordSet Credentials { get; }

    public WordSet PatientCues { get; }

    public WordSet NameCuesAfter { get; }

    public WordSet ProperInstitutions { get; }

    public WordSet StatesAndCountries { get; }

    public WordSet InstitutionsAfterPlaceCue { get; }

    /// <summary>Multi-word institution names, words separated by single spaces, without full stops.</summary>
    public IReadOnlyList<string> InstitutionPhrases { get; }

    public IReadOnlyList<string> EponymsStartingWith(ReadOnlySpan<char> word) =>
        _eponymLookup.TryGetValue(word, out var phrases) ? phrases : [];

    private static string FirstWord(string phrase)
    {
        var end = phrase.AsSpan().IndexOfAny(' ', '-', '\'');
        return end < 0 ? phrase : phrase[..end];
    }
}
