using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using HealthAI.Deid.Detection;
using HealthAI.Deid.Detection.Lexicons;
using HealthAI.Deid.Detection.Transformation;

namespace HealthAI.Benchmarks.Deid;

/// <summary>
/// De-identification throughput on one core: one operation scans <see cref="NoteCount"/> synthetic nursing notes (about 1 MB of
/// text, printed at set-up), so MB/s = megabytes / mean. Allocations per note = allocated / <see cref="NoteCount"/>.
/// Run: <c>dotnet run -c Release --project HealthAI.Benchmarks -- --filter *Deid* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class DeidThroughputBenchmarks
{
    public const int NoteCount = 1000;

    private static readonly string[] Templates =
    [
        "O: {0} YO {1} SENT OVER FROM {2} HOSPITAL WITH NEW CONFUSION AND FEVER; PMH: CHF, AFIB, S/P MI '{3}; AVR. HPI: {4} FOUND DOWN BY NEIGHBOR AT HOME. INR 6 (ON WARFARIN). HR 60'S V PACED, BP 95-120/40'S. DR {5} AWARE. PLAN: WEAN LEVO, RECHECK MG, PSV 12/5.",
        "nsg note: {0} yo {1} known to clinic of dr {5}. came in a&ox3 by ambulance from {2}. this shift pt reports feeling tired. straight cath for 200cc amber urine. crackles at both bases. social: wife {6} {7} stopped by, cell {8}. plan home on {4}.",
        "Resp: Pt remains on PSV 12/5 40%, sats 95-98%. Suctioned for thick yellow sputum. CV: SBP 90-100, HR 80s NSR, no ectopy. Neuro: alert, follows commands. Social: daughter {6} called, updated by Dr. {5}. Seen {4}; MRN {9}. Pager #{10}.",
    ];

    private static readonly string[] Names = ["FARROWBY", "OKONKWO", "TELLAMY", "Pellard", "Hartskill", "Grundvik", "Kovacek", "Murazik"];
    private static readonly string[] Firsts = ["Orla", "Odette", "Roland", "Tamsin", "Greta", "Ivo", "Rosalind", "Wilma"];
    private static readonly string[] Places = ["ASHGROVE", "Wexcombe", "Wyndcastle", "Brayford", "Pellmoor", "Ardenvale"];

    private readonly List<PhiSpan> _results = [];
    private string[] _notes = [];
    private PhiDetector _detector = null!;
    private PhiTransformer _transformer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _detector = new PhiDetector(DeidLexicons.Load());
        _transformer = new PhiTransformer(new SurrogateGenerator(new byte[32]));
        var random = new Random(42);
        _notes = new string[NoteCount];
        long characters = 0;
        for (var i = 0; i < NoteCount; i++)
        {
            var note = new StringBuilder();
            // Repeat templates so a note is about 1 KB, like the nursing notes of the reference corpus.
            while (note.Length < 1000)
            {
                var template = Templates[random.Next(Templates.Length)];
                note.AppendFormat(CultureInfo.InvariantCulture, template, random.Next(30, 99), random.Next(2) == 0 ? "FEMALE" : "MALE",
                    Places[random.Next(Places.Length)], random.Next(80, 99), $"{random.Next(1, 13)}/{random.Next(1, 29)}",
                    Names[random.Next(Names.Length)], Firsts[random.Next(Firsts.Length)], Names[random.Next(Names.Length)],
                    $"555-{random.Next(200, 999)}-{random.Next(1000, 9999)}", random.Next(1_000_000, 9_999_999), random.Next(10000, 99999));
                note.Append("\n \n");
            }

            _notes[i] = note.ToString();
            characters += _notes[i].Length;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// Deid benchmark input: {NoteCount} notes, {characters:N0} characters ({characters / 1e6:F3} MB as ASCII)"));
    }

    /// <summary>Detection only, reusing one result list: the scanner's own cost.</summary>
    [Benchmark(Baseline = true)]
    public int Detect()
    {
        var total = 0;
        foreach (var note in _notes)
        {
            _detector.Detect(note, null, _results);
            total += _results.Count;
        }

        return total;
    }

    /// <summary>Detection plus placeholder replacement: what the service does per note.</summary>
    [Benchmark]
    public int DetectAndReplace()
    {
        var total = 0;
        foreach (var note in _notes)
        {
            _detector.Detect(note, null, _results);
            total += _transformer.Transform(note, _results, DeidMode.Placeholder).Text.Length;
        }

        return total;
    }
}
