using HealthAI.Deid.Detection;

namespace HealthAI.Deid.Tests;

/// <summary>
/// The pattern recognizer's shortcuts (an expression shared by several rules scanned once, a rule skipped when a note cannot
/// hold its match) must find exactly what a full scan finds.
/// </summary>
public sealed class PatternShortcutTests
{
    private const string Vin = "1HGCM82633A004352";

    [Theory]
    [InlineData(Vin)]
    [InlineData("Car " + Vin + " parked outside.")]
    [InlineData("Car (1hgcm82633a004352) parked outside.")]
    [InlineData("Hyperbilirubinemias " + Vin)]
    public void A_bare_vin_is_found_without_a_cue(string text)
    {
        var start = text.IndexOf(Vin, StringComparison.OrdinalIgnoreCase);
        var spans = TestDetector.Instance.Detect(text);
        Assert.Contains(new PhiSpan(PhiType.Vehicle, start, start + Vin.Length, "vehicle"), spans);
    }

    [Fact]
    public void A_bare_vin_is_found_wherever_it_starts()
    {
        // The run check probes every 17th character: move the VIN across every phase, after words and after spaces.
        for (var offset = 0; offset <= 40; offset++)
        {
            // Short words before it, the last one ending in a space so that the VIN stays a word of its own.
            var words = offset == 0 ? "" : string.Concat(Enumerable.Repeat("ab ", 14))[..(offset - 1)] + " ";
            foreach (var filler in new[] { new string(' ', offset), words })
            {
                var text = filler + Vin + " seen";
                var spans = TestDetector.Instance.Detect(text);
                var start = filler.Length;
                Assert.True(spans.Any(s => s.Type == PhiType.Vehicle && s.Start <= start && s.End >= start + Vin.Length),
                    $"VIN after '{filler}' not found: {string.Join(", ", TestDetector.Texts(text, spans))}");
            }
        }
    }

    [Theory]
    [InlineData("Car 1HGCM82633A00435 parked outside.")]
    [InlineData("Car 1HGCM82633A0043521 parked outside.")]
    [InlineData("Hyperbilirubinemias and counterrevolutionary words only.")]
    public void Runs_of_other_lengths_are_no_vin(string text) =>
        Assert.DoesNotContain(TestDetector.Instance.Detect(text), s => s.Type == PhiType.Vehicle);

    [Theory]
    [InlineData("192.168.1.20", "192.168.1.20")]
    [InlineData("Logged in from 10.20.30.40.", "10.20.30.40")]
    [InlineData("No decimals here, then 172.16.254.100", "172.16.254.100")]
    // \d is any Unicode digit: every full stop here has an Arabic-Indic digit on one side.
    [InlineData("Arabic-Indic digits \u0661.\u0662.\u0663.199 as an address", "\u0661.\u0662.\u0663.199")]
    public void An_address_is_found_after_the_decimal_check(string text, string address)
    {
        var start = text.IndexOf(address, StringComparison.Ordinal);
        var spans = TestDetector.Instance.Detect(text);
        Assert.True(spans.Contains(new PhiSpan(PhiType.Ip, start, start + address.Length, "ipv4")),
            $"'{address}' not found as an address: {string.Join(", ", TestDetector.Texts(text, spans))}");
    }

    [Fact]
    public void Rules_that_share_the_identifier_expression_each_see_its_matches()
    {
        // A card number, a plain long number and a reference after its cue in one note: the rules of the shared expression
        // each take what is theirs (an NPI is also a phone number's shape, and the phone rule names that span).
        const string text = "Card 4111111111111111 declined; 9876543 on the form; ref # qx42ab noted.";
        var spans = TestDetector.Instance.Detect(text);
        Span(text, spans, "4111111111111111", PhiType.Account, "card-luhn");
        Span(text, spans, "9876543", PhiType.Id, "id-cue-or-long-number");
        Span(text, spans, "qx42ab", PhiType.Id, "id-cue-or-long-number");
    }

    private static void Span(string text, List<PhiSpan> spans, string value, PhiType type, string rule)
    {
        var start = text.IndexOf(value, StringComparison.Ordinal);
        Assert.True(spans.Contains(new PhiSpan(type, start, start + value.Length, rule)),
            $"'{value}' not found as {type} by {rule}: {string.Join(", ", TestDetector.Texts(text, spans))}");
    }
}
