using HealthAI.Deid.Detection;

namespace HealthAI.Deid.Tests;

public sealed class DetectorTests
{
    [Fact]
    public void Synthetic_notes_every_inserted_phi_is_found()
    {
        var generator = new SyntheticNotes(seed: 7);
        var missed = new List<string>();
        for (var n = 0; n < 200; n++)
        {
            var note = generator.Next();
            var spans = TestDetector.Instance.Detect(note.Text);
            foreach (var (type, start, end) in note.Phi)
            {
                if (!spans.Any(s => s.Start < end && start < s.End))
                {
                    missed.Add($"{type}: '{note.Text[start..end]}'");
                }
            }
        }

        Assert.Empty(missed);
    }

    [Fact]
    public void Synthetic_notes_every_category_is_covered_and_typed()
    {
        var note = new SyntheticNotes(seed: 11).Next();
        var spans = TestDetector.Instance.Detect(note.Text);
        Assert.Equal(PhiTypeNames.All.Count, note.Phi.Select(p => p.Type).Distinct().Count());
        var wrong = new[] { PhiType.Email, PhiType.Ssn, PhiType.Ip, PhiType.Url, PhiType.Fax, PhiType.Age, PhiType.Mrn, PhiType.Vehicle }
            .Where(type =>
            {
                var (_, start, end) = note.Phi.First(p => p.Type == type);
                return !spans.Any(s => s.Type == type && s.Start <= start && s.End >= end);
            })
            .ToList();
        Assert.Empty(wrong);
    }

    [Fact]
    public void Spans_are_sorted_non_overlapping_and_carry_rules()
    {
        var note = new SyntheticNotes(seed: 3).Next();
        var spans = TestDetector.Instance.Detect(note.Text);
        for (var i = 1; i < spans.Count; i++)
        {
            Assert.True(spans[i - 1].End <= spans[i].Start);
        }

        Assert.All(spans, s => Assert.False(string.IsNullOrEmpty(s.Rule)));
    }

    [Theory]
    [InlineData("Patient reports improving pain, comfortable overnight.")]
    [InlineData("PT WILL FOLLOW UP WITH PCP.")]
    [InlineData("Pt Alert and oriented, denies pain.")]
    public void Patient_cues_do_not_make_ordinary_words_names(string text)
    {
        var spans = TestDetector.Instance.Detect(text);
        Assert.Empty(TestDetector.Texts(text, spans.Where(s => s.Type == PhiType.Name)));
    }

    [Theory]
    [InlineData("Foley catheter draining clear yellow urine.")]
    [InlineData("History of Parkinson's disease and Bell's palsy.")]
    [InlineData("Swan-Ganz placed; Down syndrome noted.")]
    [InlineData("Glasgow Coma Scale 14 on arrival.")]
    [InlineData("Endoscopy showed a Mallory-Weiss tear.")]
    [InlineData("Romberg negative; Braden Scale 14; Holter monitor placed.")]
    [InlineData("Lachman and McMurray tests negative; Epley maneuver done.")]
    [InlineData("History of Ehlers-Danlos; Montreal Cognitive Assessment 24/30.")]
    [InlineData("Richmond Agitation-Sedation Scale -1 overnight.")]
    public void Eponyms_stay(string text)
    {
        var spans = TestDetector.Instance.Detect(text);
        Assert.Empty(TestDetector.Texts(text, spans.Where(s => s.Type == PhiType.Name)));
    }

    [Theory]
    [InlineData("Seen by Dr. Parkinson today.", "Parkinson")]
    [InlineData("DR FOLEY AWARE OF BP.", "FOLEY")]
    [InlineData("wife Mary called.", "Mary")]
    [InlineData("Nancy Pellard, RN", "Pellard")]
    [InlineData("dr vaseqez paged re: labs", "vaseqez")]
    [InlineData("Patient John Smith seen today.", "John")]
    [InlineData("Patient John Smith seen today.", "Smith")]
    [InlineData("Pt: Zqabcd Xvefgh, 45 y/o", "Zqabcd")]
    [InlineData("Name: Mary Souza", "Mary")]
    public void Names_with_context_go(string text, string name)
    {
        var spans = TestDetector.Instance.Detect(text);
        var start = text.IndexOf(name, StringComparison.Ordinal);
        Assert.Contains(spans, s => s.Type == PhiType.Name && s.Start <= start && s.End >= start + name.Length);
    }

    [Theory]
    [InlineData("seen on 7/22", "7/22")]
    [InlineData("admitted 07-22-2019 via ED", "07-22-2019")]
    [InlineData("surgery July 22nd", "July 22nd")]
    [InlineData("cath on 22 Jul", "22 Jul")]
    [InlineData("due back on the 3rd", "3rd")]
    [InlineData("returned on the 9th with fever", "9th")]
    [InlineData("s/p MI '92", "92")]
    [InlineData("a 93 yo woman", "93")]
    public void Dates_and_ages_go(string text, string value)
    {
        var spans = TestDetector.Instance.Detect(text);
        var start = text.IndexOf(value, StringComparison.Ordinal);
        Assert.Contains(spans, s => s.Start <= start && s.End >= start + value.Length);
    }

    [Theory]
    [InlineData("an 89 yo man, BP 120/80, PSV 10/5, rales 1/3 up, 3/10 pain")]
    [InlineData("HR 70's AV paced, SBP 90-100, u/o 30-40cc/hr")]
    public void Clinical_numbers_stay(string text)
    {
        var spans = TestDetector.Instance.Detect(text);
        Assert.Empty(TestDetector.Texts(text, spans));
    }

    [Fact]
    public void Known_phi_is_found_with_variants()
    {
        const string text = "ZQXWV, JOLAN seen; Jolan Zqxwv's MRN A-99812 and DOB 3/4/1950; J. Zqxwv agrees.";
        var known = new KnownPhi("Jolan Zqxwv", "A-99812", new DateOnly(1950, 3, 4));
        var spans = TestDetector.Instance.Detect(text, known);
        foreach (var value in new[] { "ZQXWV, JOLAN", "Jolan Zqxwv", "A-99812", "3/4/1950", "J. Zqxwv" })
        {
            var start = text.IndexOf(value, StringComparison.Ordinal);
            Assert.Contains(spans, s => s.Start <= start && s.End >= start + value.Length);
        }
    }

    [Fact]
    public void Offsets_index_the_original_utf16_text()
    {
        const string text = "Résumé 😀 noted; call 410-555-0199 today.";
        var spans = TestDetector.Instance.Detect(text);
        var phone = Assert.Single(spans, s => s.Type == PhiType.Phone);
        Assert.Equal("410-555-0199", text[phone.Start..phone.End]);
    }
}
