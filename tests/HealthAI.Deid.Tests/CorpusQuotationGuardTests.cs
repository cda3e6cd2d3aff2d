using HealthAI.Deid.Detection.Lexicons;

namespace HealthAI.Deid.Tests;

/// <summary>
/// The PhysioNet corpus in ../shared is measurement data under a restricted licence: none of it may be copied into the
/// repository, not in code, comments, READMEs, test data or benchmark data. This guard reads every gold PHI span and every note
/// line of the development half and fails, naming file and line (never the text), for any source or documentation file that
/// quotes either. Skipped, like <see cref="CorpusMeasurementTests"/>, where the corpus is absent.
/// </summary>
public sealed class CorpusQuotationGuardTests
{
    /// <summary>Shorter spans ("7/22", "Ann") are everyday strings that a file holds for reasons of its own.</summary>
    private const int MinimumSpanLength = 4;

    /// <summary>Dates, years and ages need a longer span: a bare year or day and month says nothing of the corpus; a full date or a range does.</summary>
    private const int MinimumNumericSpanLength = 6;

    /// <summary>A run of this many characters copied from a note line is a quotation, whatever it says.</summary>
    private const int FragmentLength = 30;

    /// <summary>A fragment must hold this many letters to count: runs of spaces, dashes or digits are everywhere.</summary>
    private const int FragmentMinimumLetters = 10;

    private static readonly string[] ScannedExtensions =
    [
        ".cs", ".md", ".json", ".jsonl", ".txt", ".csproj", ".props", ".targets", ".mjs", ".js", ".yaml", ".yml", ".proto", ".pbtxt",
        ".sln", ".config", ".svg", ".sh", ".editorconfig",
    ];

    private static readonly string[] SkippedFolders = ["bin", "obj", ".git", "node_modules", "TestResults", "BenchmarkDotNet.Artifacts", "models"];

    [Fact]
    public void No_tracked_file_quotes_a_gold_phi_span_or_a_note_line_of_the_corpus()
    {
        var folder = CorpusMeasurementTests.CorpusFolder();
        Assert.SkipWhen(folder is null, "../shared/deid-corpus is not present beside the repository: corpus quotation guard skipped.");
        var root = RepositoryRoot();
        Assert.NotNull(root);

        var spans = DistinctiveSpans(Path.Combine(folder!, "dev", "notes.phi"), DeidLexicons.Load());
        var fragments = new NoteFragments(Path.Combine(folder!, "dev", "notes.text"));
        Assert.True(spans.Count > 100, $"only {spans.Count} gold spans were read: the corpus format changed?");

        var findings = new List<string>();
        var filesScanned = 0;
        foreach (var file in (TrackedFiles(root!) ?? WalkFiles(root!)).Where(IsScanned))
        {
            filesScanned++;
            var relative = Path.GetRelativePath(root!, file).Replace('\\', '/');
            var lineNumber = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNumber++;
                foreach (var (category, length) in spans.Find(line))
                {
                    findings.Add($"{relative}:{lineNumber}: gold {category} span ({length} chars)");
                }

                if (fragments.Quotes(line))
                {
                    findings.Add($"{relative}:{lineNumber}: a {FragmentLength}-character run of a corpus note line");
                }
            }
        }

        Assert.True(filesScanned > 100, $"only {filesScanned} files were scanned under the repository root");
        Assert.True(findings.Count == 0, $"{findings.Count} corpus quotations (invent your own example of the same shape):\n" + string.Join('\n', findings));
    }

    [Fact]
    public void The_guard_finds_a_span_and_a_fragment_and_reports_neither()
    {
        var folder = CorpusMeasurementTests.CorpusFolder();
        Assert.SkipWhen(folder is null, "../shared/deid-corpus is not present beside the repository: corpus quotation guard skipped.");
        var spans = DistinctiveSpans(Path.Combine(folder!, "dev", "notes.phi"), DeidLexicons.Load());
        var fragments = new NoteFragments(Path.Combine(folder!, "dev", "notes.text"));

        // The probes are taken from the corpus at run time, so this file quotes nothing itself.
        var (probeSpan, probeCategory) = spans.Any();
        Assert.Contains(spans.Find($"see {probeSpan}; then"), f => f.Category == probeCategory && f.Length == probeSpan.Length);
        Assert.Empty(spans.Find($"see x{probeSpan}x then"));
        var probeLine = fragments.AnyLine(FragmentLength + 10);
        Assert.True(fragments.Quotes("// " + probeLine[3..(FragmentLength + 5)] + " ..."));
        Assert.False(fragments.Quotes("// an example line that a developer wrote for a test"));
    }

    internal static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HealthAI.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static bool IsScanned(string file)
    {
        var name = Path.GetFileName(file);
        return ScannedExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)) || name == "README";
    }

    /// <summary>
    /// The files git tracks: what the repository would publish. Files fetched at build time into ignored paths (a model's
    /// vocabulary under models/) are public data, not our source, and are left out. Null where git is not available.
    /// </summary>
    private static List<string>? TrackedFiles(string root)
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", root, "ls-files", "-z"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0
                ? output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(f => Path.Combine(root, f)).Where(File.Exists).ToList()
                : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Without git: every file under the root outside build output and tool folders.</summary>
    private static IEnumerable<string> WalkFiles(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                if (!SkippedFolders.Contains(Path.GetFileName(sub), StringComparer.OrdinalIgnoreCase))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in Directory.EnumerateFiles(dir))
            {
                yield return file;
            }
        }
    }

    /// <summary>
    /// The gold spans worth looking for. A single word that a public list the detector ships with holds (an English word, a
    /// popular given name, a US town) is skipped: "heart", "Nancy" or "Boston" alone quote nothing; the multi-word spans and the
    /// fragments catch such a word with its neighbours.
    /// </summary>
    private static SpanIndex DistinctiveSpans(string phiFile, DeidLexicons lexicons)
    {
        var index = new SpanIndex();
        foreach (var record in File.ReadLines(phiFile))
        {
            var fields = record.Split(' ', 6);
            if (fields.Length < 6)
            {
                continue;
            }

            var category = fields[4];
            var text = fields[5].Trim().Trim('(', ')', '[', ']', ',', '.', ';', ':', '"', '\'');
            var numeric = category is "Date" or "DateYear" or "Age";
            if (text.Length < (numeric ? MinimumNumericSpanLength : MinimumSpanLength))
            {
                continue;
            }

            var singleWord = text.All(char.IsLetter);
            if (singleWord && (lexicons.CommonWords.Contains(text) || lexicons.GivenNames.Contains(text) || lexicons.Places.Contains(text)))
            {
                continue;
            }

            index.Add(text, category);
        }

        return index;
    }

    /// <summary>Spans keyed by their first word, so a line is looked up once per word instead of once per span.</summary>
    private sealed class SpanIndex
    {
        private readonly Dictionary<string, List<(string Text, string Category)>> _byFirstWord = new(StringComparer.Ordinal);

        public int Count { get; private set; }

        public void Add(string text, string category)
        {
            var first = text[..WordEnd(text, 0)];
            if (first.Length == 0)
            {
                return;
            }

            if (!_byFirstWord.TryGetValue(first, out var list))
            {
                _byFirstWord[first] = list = [];
            }

            if (!list.Exists(s => s.Text == text))
            {
                list.Add((text, category));
                Count++;
            }
        }

        public (string Text, string Category) Any() => _byFirstWord.Values.SelectMany(l => l).First(s => s.Text.Contains(' ', StringComparison.Ordinal));

        /// <summary>Gold spans that stand in <paramref name="line"/> as whole words (case-sensitive): category and length only.</summary>
        public List<(string Category, int Length)> Find(string line)
        {
            var found = new List<(string, int)>();
            var lookup = _byFirstWord.GetAlternateLookup<ReadOnlySpan<char>>();
            var i = 0;
            while (i < line.Length)
            {
                if (!char.IsLetterOrDigit(line[i]))
                {
                    i++;
                    continue;
                }

                var end = WordEnd(line, i);
                var startsWord = i == 0 || !char.IsLetterOrDigit(line[i - 1]);
                if (startsWord && lookup.TryGetValue(line.AsSpan(i, end - i), out var candidates))
                {
                    foreach (var (text, category) in candidates)
                    {
                        var after = i + text.Length;
                        if (line.AsSpan(i).StartsWith(text, StringComparison.Ordinal) && (after == line.Length || !char.IsLetterOrDigit(line[after])))
                        {
                            found.Add((category, text.Length));
                        }
                    }
                }

                i = end;
            }

            return found;
        }

        private static int WordEnd(string text, int start)
        {
            var end = start;
            while (end < text.Length && char.IsLetterOrDigit(text[end]))
            {
                end++;
            }

            return end;
        }
    }

    /// <summary>Every run of <see cref="FragmentLength"/> characters of the note lines, as rolling hashes (verified on a hit).</summary>
    private sealed class NoteFragments
    {
        private const ulong Base = 1_000_003;
        private readonly HashSet<ulong> _hashes = [];
        private readonly string _notes;
        private readonly string[] _lines;
        private readonly ulong _highPower;

        public NoteFragments(string notesFile)
        {
            _lines = File.ReadLines(notesFile)
                .Where(l => !l.StartsWith("START_OF_RECORD=", StringComparison.Ordinal) && !l.StartsWith("||||END_OF_RECORD", StringComparison.Ordinal))
                .ToArray();
            _notes = string.Join('\n', _lines);
            _highPower = 1;
            for (var k = 1; k < FragmentLength; k++)
            {
                _highPower *= Base;
            }

            foreach (var line in _lines)
            {
                foreach (var (hash, _) in Windows(line))
                {
                    _hashes.Add(hash);
                }
            }
        }

        public string AnyLine(int minimumLength) => _lines.First(l => l.Length >= minimumLength && l.Count(char.IsLetter) >= minimumLength / 2);

        public bool Quotes(string line)
        {
            foreach (var (hash, start) in Windows(line))
            {
                if (_hashes.Contains(hash))
                {
                    var window = line.AsSpan(start, FragmentLength);
                    if (CountLetters(window) >= FragmentMinimumLetters && _notes.AsSpan().Contains(window, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private IEnumerable<(ulong Hash, int Start)> Windows(string line)
        {
            if (line.Length < FragmentLength)
            {
                yield break;
            }

            ulong hash = 0;
            for (var k = 0; k < FragmentLength; k++)
            {
                hash = (hash * Base) + line[k];
            }

            yield return (hash, 0);
            for (var start = 1; start + FragmentLength <= line.Length; start++)
            {
                hash = ((hash - (line[start - 1] * _highPower)) * Base) + line[start + FragmentLength - 1];
                yield return (hash, start);
            }
        }

        private static int CountLetters(ReadOnlySpan<char> window)
        {
            var letters = 0;
            foreach (var c in window)
            {
                if (char.IsLetter(c))
                {
                    letters++;
                }
            }

            return letters;
        }
    }
}
