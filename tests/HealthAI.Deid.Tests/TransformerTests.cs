using System.Globalization;
using HealthAI.Deid.Detection;
using HealthAI.Deid.Detection.Transformation;

namespace HealthAI.Deid.Tests;

public sealed class TransformerTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private readonly PhiTransformer _transformer = new(new SurrogateGenerator(Key));

    [Theory]
    [InlineData(DeidMode.Placeholder, "Seen by Dr. [NAME] on [DATE].")]
    [InlineData(DeidMode.Redact, "Seen by Dr.  on .")]
    [InlineData(DeidMode.Mask, "Seen by Dr. Xxxxxxxxx on #/##.")]
    public void Modes_replace_spans(DeidMode mode, string expected)
    {
        const string text = "Seen by Dr. Halvorsen on 7/22.";
        var spans = TestDetector.Instance.Detect(text);
        var result = _transformer.Transform(text, spans, mode);
        Assert.Equal(expected, result.Text);
        Assert.All(result.Replacements, r => Assert.True(r.Span.End <= text.Length));
    }

    [Fact]
    public void Surrogates_are_consistent_within_a_patient_and_differ_across()
    {
        const string text = "Dr. Halvorsen saw pt; HALVORSEN paged again.";
        var spans = TestDetector.Instance.Detect(text);
        var first = _transformer.Transform(text, spans, DeidMode.Surrogate, "patient-1");
        var again = _transformer.Transform(text, spans, DeidMode.Surrogate, "patient-1");
        Assert.Equal(first.Text, again.Text);
        var names = first.Replacements.Where(r => r.Span.Type == PhiType.Name).Select(r => r.Value.ToUpperInvariant()).Distinct().ToList();
        Assert.Single(names);
        Assert.DoesNotContain("Halvorsen", first.Text, StringComparison.OrdinalIgnoreCase);

        var other = Enumerable.Range(0, 20).Select(i => _transformer.Transform(text, spans, DeidMode.Surrogate, $"patient-{i + 2}").Text);
        Assert.Contains(other, t => t != first.Text);
    }

    [Fact]
    public void Date_shift_preserves_intervals_and_weekdays()
    {
        var surrogates = new SurrogateGenerator(Key);
        var a = surrogates.Replace(PhiType.Date, "3/1/2020", "p");
        var b = surrogates.Replace(PhiType.Date, "3/15/2020", "p");
        var da = DateTime.ParseExact(a, "M/d/yyyy", CultureInfo.InvariantCulture);
        var db = DateTime.ParseExact(b, "M/d/yyyy", CultureInfo.InvariantCulture);
        Assert.Equal(14, (db - da).Days);
        Assert.Equal(new DateTime(2020, 3, 1).DayOfWeek, da.DayOfWeek);
        Assert.NotEqual("3/1/2020", a);
    }

    [Fact]
    public void Ages_over_89_become_90_plus()
    {
        const string text = "a 97 yo woman";
        var result = _transformer.Transform(text, TestDetector.Instance.Detect(text), DeidMode.Surrogate, "p");
        Assert.Equal("a 90+ yo woman", result.Text);
    }

    [Fact]
    public void Short_keys_are_refused() => Assert.Throws<ArgumentException>(() => new SurrogateGenerator(new byte[16]));
}
