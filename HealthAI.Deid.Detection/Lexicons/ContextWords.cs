namespace HealthAI.Deid.Detection.Lexicons;

/// <summary>The context-word sets of the token recognizer, built once from <see cref="ClinicalVocabulary"/>.</summary>
internal sealed class ContextWords
{
    private readonly Dictionary<string, string[]> _eponymsByFirstWord;
    private readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _eponymLookup;
    private readonly Dictionary<string, string[]> _placePhrasesByFirstWord;
    private readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _placePhraseLookup;

    public ContextWords(IEnumerable<string> multiWordPlaces)
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
        _placePhrasesByFirstWord = ClinicalVocabulary.InstitutionPhrases.Concat(multiWordPlaces)
            .Select(p => string.Join(' ', p.Replace(".", "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Where(p => p.Contains(' ', StringComparison.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .GroupBy(p => p[..p.IndexOf(' ', StringComparison.Ordinal)], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Length).ToArray(), StringComparer.OrdinalIgnoreCase);
        _placePhraseLookup = _placePhrasesByFirstWord.GetAlternateLookup<ReadOnlySpan<char>>();
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

    /// <summary>First words of the multi-word places (institutions and towns).</summary>
    public IEnumerable<string> PlacePhraseFirstWords => _placePhrasesByFirstWord.Keys;

    /// <summary>Multi-word places starting with <paramref name="word"/>: words separated by single spaces, no full stops.</summary>
    public ReadOnlySpan<string> PlacePhrasesStartingWith(ReadOnlySpan<char> word) =>
        _placePhraseLookup.TryGetValue(word, out var phrases) ? phrases : [];

    public ReadOnlySpan<string> EponymsStartingWith(ReadOnlySpan<char> word) =>
        _eponymLookup.TryGetValue(word, out var phrases) ? phrases : [];

    private static string FirstWord(string phrase)
    {
        var end = phrase.AsSpan().IndexOfAny(' ', '-', '\'');
        return end < 0 ? phrase : phrase[..end];
    }
}
