using System.Text;
using System.Text.RegularExpressions;
using HealthAI.Deid.Detection.Recognizers;

namespace HealthAI.Deid.Tests;

/// <summary>
/// The expressions split at their top-level alternation must match exactly what the whole alternation matches: same
/// offsets, same lengths, same order, including where the branches' matches overlap.
/// </summary>
public sealed class RegexAlternationTests
{
    public static TheoryData<string> SplitPatterns => ["PhoneExtension", "MonthNameDate", "TwoDigitYear", "OtherIdentifier", "Ssn", "AgeOver89"];

    // Pieces that start, end and overlap the branches' matches: cues that begin one another, years after apostrophes, days
    // before and after months, numbers after '#' and cue words, extensions after 'x'.
    private static readonly string[] Pieces =
    [
        "mi", "MI", "cabg", "cabgx2", "ca", "dx", "dx'd", "tkr", "thr", "since", "in", "x", "x2", "'", "'92", "92", "03", "97'",
        "and", ",", ", ", " ", "  ", "\n", "-", "jan", "Jan.", "july", "sept", "3rd", "22nd", "of", "2019", "5", "12", "#",
        "# ", "ref", "id", "npi", "qx42", "12345678", "4410297", "pager", "pg", "page", "paged", "ext", "ph", "phone", "1234",
        "12345", ":", "is", "/", ".", "(", ")", "tel", "home", "yo", "mg", "pager 12345", "x1234", "ext 4444", "ph: 2345",
        "123-45-6789", "123 45 6789", "ssn", "SS#", "social security", "123456789", "age", "aged", "ages", "93", "101", "yo", "y/o",
        "year old", "-", "yrs",
    ];

    [Theory]
    [MemberData(nameof(SplitPatterns))]
    public void Split_expression_matches_like_the_whole_alternation(string name)
    {
        var split = (RegexAlternation)typeof(PatternRules).GetField(name)!.GetValue(null)!;
        var branches = split.Branches.ToArray();
        Assert.True(branches.Length > 1);
        var whole = new Regex(string.Join("|", branches.Select(b => $"(?:{b})")), branches[0].Options);

        var texts = new List<string>
        {
            "PMH: MI '92, CABG 81, s/p CABGx2 in 97 and 03, TIA in 97, dx'd 03, TKR 99, ca 88. Since 05 stable.",
            "Seen 3 Jan 5, Jan 5 2019, 22nd of July 2019, March of 1993, nov, 96 and 3-4 Jan.",
            "pager 12345 x1234 cell 55512 ext 4444 ph 1234 paged 2345, beeper # 77777, home is: 5551.",
            "ref # 4410297, #qx42, 12345678, id 99999-77, npi 1234567893, case 7x7x7.",
            "SSN 123456789, 123-45-6789 and 123 45 6789; social security: 987654321; aged 93, 101 yo, age: 95, 92-year-old.",
        };
        var notes = new SyntheticNotes(seed: 21);
        for (var i = 0; i < 100; i++)
        {
            texts.Add(notes.Next().Text);
        }

        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var text = new StringBuilder();
            for (var k = random.Next(1, 24); k > 0; k--)
            {
                text.Append(Pieces[random.Next(Pieces.Length)]);
            }

            texts.Add(text.ToString());
        }

        var found = 0;
        var buffer = new (int Index, int Length)[4];
        foreach (var text in texts)
        {
            var expected = whole.EnumerateMatches(text).ToList();
            var count = split.Collect(text, ref buffer);
            Assert.True(expected.SequenceEqual(buffer.Take(count)),
                $"'{text}': whole {string.Join(" ", expected)}, split {string.Join(" ", buffer.Take(count))}");
            found += count;
        }

        // The texts exercise the expression, not only its absence.
        Assert.True(found > 50, $"only {found} matches");
    }

    [Fact]
    public void Month_alone_written_by_its_prefixes_matches_the_word_list()
    {
        // The expression as a plain list of the words, before it was written by prefixes for the generator's search.
        var words = new Regex(@"\b(?:january|february|april|june|july|august|september|october|november|december|sept|jan|feb|apr|jun|jul|aug|oct|nov|dec)\b(?!\s*\d)",
            RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase);
        string[] pieces = ["jan", "JANUARY", "june", "Jun", "july", "jul", "sept", "September", "sep", "dec", "decem", "ember", "uary", "y", "e", " ", ".", "5", " 5", "-", "x"];
        var random = new Random(3);
        var found = 0;
        for (var i = 0; i < 3000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 10)).Select(_ => pieces[random.Next(pieces.Length)]));
            var expected = words.EnumerateMatches(text).ToList();
            var actual = PatternRules.MonthAlone().EnumerateMatches(text).ToList();
            Assert.True(expected.SequenceEqual(actual), $"'{text}': words {string.Join(" ", expected)}, prefixes {string.Join(" ", actual)}");
            found += actual.Count;
        }

        Assert.True(found > 100, $"only {found} matches");
    }

    [Fact]
    public void Branches_that_compete_for_a_position_keep_their_order()
    {
        // Made-up branches that match at the same places and overlap one another: the earlier branch wins a tie.
        string[] patterns = [@"ab", @"abc", @"b+c?", @"(?<=a)c|c\b", @"\bca"];
        var split = new RegexAlternation([.. patterns.Select(p => new Regex(p))]);
        var whole = new Regex(string.Join("|", patterns.Select(p => $"(?:{p})")));
        var random = new Random(9);
        var buffer = new (int Index, int Length)[2];
        for (var i = 0; i < 3000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(1, 16)).Select(_ => "abc "[random.Next(4)])]);
            var expected = whole.EnumerateMatches(text).ToList();
            var count = split.Collect(text, ref buffer);
            Assert.True(expected.SequenceEqual(buffer.Take(count)),
                $"'{text}': whole {string.Join(" ", expected)}, split {string.Join(" ", buffer.Take(count))}");
        }
    }
}

file static class MatchList
{
    public static List<(int Index, int Length)> ToList(this Regex.ValueMatchEnumerator matches)
    {
        var list = new List<(int, int)>();
        foreach (var match in matches)
        {
            list.Add((match.Index, match.Length));
        }

        return list;
    }
}
