using System.Globalization;

namespace HealthAI.Deid.Detection.Evaluation;

/// <summary>A gold PHI span of the PhysioNet deid corpus format.</summary>
public sealed record GoldSpan(int Start, int End, string Category);

/// <summary>One note of the corpus with its gold spans.</summary>
public sealed record CorpusNote(string Patient, string Note, string Text, IReadOnlyList<GoldSpan> Gold);

/// <summary>
/// Reads the PhysioNet deid gold-standard format: <c>notes.text</c> (records <c>START_OF_RECORD=p||||n||||</c>, newline, text,
/// <c>||||END_OF_RECORD</c>) and <c>notes.phi</c> (<c>patient note start end category text</c>, offsets from the first
/// character after the header line).
/// </summary>
public static class DeidCorpus
{
    private const string Header = "START_OF_RECORD=";
    private const string Footer = "||||END_OF_RECORD";

    /// <summary>Loads <c>notes.text</c> and <c>notes.phi</c> from <paramref name="folder"/> (or its <c>dev/</c> subfolder).</summary>
    public static IReadOnlyList<CorpusNote> Load(string folder)
    {
        if (!File.Exists(Path.Combine(folder, "notes.text")) && File.Exists(Path.Combine(folder, "dev", "notes.text")))
        {
            folder = Path.Combine(folder, "dev");
        }

        var textPath = Path.Combine(folder, "notes.text");
        var phiPath = Path.Combine(folder, "notes.phi");
        if (!File.Exists(textPath) || !File.Exists(phiPath))
        {
            throw new FileNotFoundException($"Expected notes.text and notes.phi in '{folder}'.");
        }

        var gold = new Dictionary<(string, string), List<GoldSpan>>();
        foreach (var line in File.ReadLines(phiPath))
        {
            var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 5)
            {
                continue;
            }

            var key = (parts[0], parts[1]);
            if (!gold.TryGetValue(key, out var list))
            {
                gold[key] = list = [];
            }

            list.Add(new GoldSpan(int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture), parts[4]));
        }

        var notes = new List<CorpusNote>();
        var all = File.ReadAllText(textPath);
        var position = 0;
        while ((position = all.IndexOf(Header, position, StringComparison.Ordinal)) >= 0)
        {
            var lineEnd = all.IndexOf('\n', position);
            var ids = all[(position + Header.Length)..lineEnd].Split("||||", StringSplitOptions.RemoveEmptyEntries);
            var end = all.IndexOf(Footer, lineEnd, StringComparison.Ordinal);
            var text = all[(lineEnd + 1)..end];
            var key = (ids[0], ids[1]);
            notes.Add(new CorpusNote(ids[0], ids[1], text, gold.TryGetValue(key, out var spans) ? spans : []));
            position = end + Footer.Length;
        }

        return notes;
    }
}
