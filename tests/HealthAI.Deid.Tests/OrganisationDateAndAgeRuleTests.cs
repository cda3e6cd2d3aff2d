using HealthAI.Deid.Detection;
using static HealthAI.Deid.Tests.TestDetector;

namespace HealthAI.Deid.Tests;

/// <summary>
/// Rules for the classes of PHI that no list holds: employers and named facilities, towns by their suffix, wards listed with
/// units, names before a phone cue, initials after a title, day ranges and dashed dates after a cue, second years of a history
/// pair, and an age that opens a history. Every sentence is written for the test; each class also has words it must keep.
/// </summary>
public sealed class OrganisationDateAndAgeRuleTests
{
    private static List<PhiSpan> Detect(string text) => TestDetector.Instance.Detect(text);

    [Theory]
    [InlineData("SOCIAL: WIFE IS CEO OF ZENTROVA, 2 SONS.", "ZENTROVA")]
    [InlineData("social: husband works at Brambleton Tool and Die.", "Brambleton")]
    [InlineData("social: husband works at Brambleton Tool and Die.", "Tool")]
    [InlineData("Pt retired from Kestrel Freight in 2001.", "Kestrel")]
    public void Employers_after_a_job_cue_are_locations(string text, string employer) => AssertFound(text, employer, PhiType.Location);

    [Theory]
    [InlineData("WIFE WORKS AT HOME, WILL VISIT TONIGHT.", "HOME")]
    [InlineData("INCREASED WORK OF BREATHING NOTED.", "BREATHING")]
    [InlineData("HR 80-90 VP WITH OCC PVCS.", "OCC")]
    public void Words_after_job_like_words_stay(string text, string word) => AssertKept(text, word);

    [Theory]
    [InlineData("pt states \"I'm at the general hospital\" and is oriented.", "general")]
    [InlineData("Pt transferred from UMX Hospital at 1400.", "UMX")]
    [InlineData("daughter lives near the church in Brindletown.", "Brindletown")]
    [InlineData("FAMILY DROVE UP FROM CALLOWAYVILLE TODAY.", "CALLOWAYVILLE")]
    [InlineData("HPI per SICU/FENWICKHALL/CCU teams.", "FENWICKHALL")]
    [InlineData("son Pete who lives in NYC called.", "NYC")]
    [InlineData("Social: has a rehab bed @ St B. next week.", "St")]
    public void Facilities_towns_and_wards_are_locations(string text, string place) => AssertFound(text, place, PhiType.Location);

    [Fact]
    public void A_capitalized_word_continues_a_place_in_mixed_case_text()
    {
        // "Tacoma" is a city in the place list; "Crest" an ordinary word that continues its name.
        AssertFound("pt was sent to Tacoma Crest ER for films.", "Crest");
        AssertKept("pt was sent to Tacoma yesterday for films.", "yesterday");
    }

    [Theory]
    [InlineData("pt transferred from UMX Hospital at 1400.", "Hospital")]
    [InlineData("SOCIAL: WIFE HERE MOST OF DAY.", "DAY")]
    [InlineData("son who lives in MD called.", "MD")]
    [InlineData("RESP: WEANED FROM PS 15 TO 10.", "PS")]
    [InlineData("Pt is in general good spirits.", "good")]
    [InlineData("converted to ST at 0300, then SR.", "ST")]
    [InlineData("NEEDS MORE SUPPPORT WITH ADLS.", "SUPPPORT")]
    public void Generic_words_states_and_shorthand_stay(string text, string word) => AssertKept(text, word);

    [Theory]
    [InlineData("Contacts: Oriel Vantassel cell# 301-555-0142.", "Oriel")]
    [InlineData("Contacts: Oriel Vantassel cell# 301-555-0142.", "Vantassel")]
    [InlineData("HCP: QUORBY HOME 410 555 0199", "QUORBY")]
    [InlineData("Guardian: niece, Joanna BARTER, lives out of state.", "BARTER")]
    [InlineData("seen by mr J. today, resting.", "J")]
    [InlineData("pmicu progress: mr K remained stable overnight.", "K")]
    public void Names_before_phone_cues_capital_surnames_and_initials_are_names(string text, string name) =>
        AssertFound(text, name, PhiType.Name);

    [Theory]
    [InlineData("WILL CALL HOME 410 555 0199 IF CHANGES.", "CALL")]
    [InlineData("DAUGHTER CELL 410-555-0142.", "DAUGHTER")]
    [InlineData("Dr. Maren NPO after midnight.", "NPO")]
    public void Words_before_phone_cues_and_after_names_stay(string text, string word) => AssertKept(text, word);

    [Theory]
    [InlineData("XRT TREATMENTS 11/05/11/06, NEXT DUE MONDAY.", "11/05/11/06")]
    [InlineData("moved to a nursing home in sept. after the fall.", "sept")]
    [InlineData("nursing progress note 5->6 jan, 98 0700", "5->6 jan")]
    [InlineData("returned to IR on 4-9 for embolization.", "4-9")]
    [InlineData("PMH: CABG in 88 and 02, HTN.", "02")]
    [InlineData("S/P AAA REPAIR IN 11' WITHOUT EVENT.", "11")]
    public void Day_ranges_dashed_dates_and_history_years_are_dates(string text, string date) => AssertFound(text, date, PhiType.Date);

    [Theory]
    [InlineData("edematous, HOB up on 1-2 pillows.", "1-2")]
    [InlineData("remains on 2-4 L NC, sats 95%.", "2-4")]
    [InlineData("on 5-10 mcg of levophed.", "5-10")]
    [InlineData("no change in dec sats overnight.", "dec")]
    [InlineData("CABG x3, 02 SAT 96% ON 2L.", "02")]
    public void Ranges_counts_and_shorthand_stay(string text, string value) => AssertKept(text, value);

    [Theory]
    [InlineData("Nursing note\n96 s/p mechanical fall at home.", "96")]
    [InlineData("Pt is a 94 F with CHF.", "94")]
    public void An_age_over_89_opening_a_history_is_an_age(string text, string age) => AssertFound(text, age, PhiType.Age);

    [Theory]
    [InlineData("HR 92 s/p lopressor 5 mg.", "92")]
    [InlineData("sats 98 w/ 2L NC.", "98")]
    public void Vital_signs_before_shorthand_stay(string text, string value) => AssertKept(text, value);

    [Theory]
    [InlineData("foley changed to #18fr, draining well.", "18fr")]
    [InlineData("INTUBATED #7ETT 23CM AT LIP.", "7ETT")]
    [InlineData("peripheral ivs #16x3 L arm.", "16x3")]
    [InlineData("PA# 45-52/20-24, CVP 12.", "45-52")]
    [InlineData("R IJ CORDIS DAY #5-STABLE.", "5-STABLE")]
    [InlineData("ID: TMAX-101.2, WBC 9.", "TMAX")]
    public void Sizes_counts_ranges_and_words_after_a_number_sign_stay(string text, string value) => AssertKept(text, value);

    [Theory]
    [InlineData("called insurer, ref # 5512790.", "5512790")]
    [InlineData("plan on file, policy #qk42.", "qk42")]
    public void Reference_numbers_after_a_number_sign_still_go(string text, string value) => AssertFound(text, value);

    [Theory]
    [InlineData("MIDLINE PLACED IN L AC 4/12, FLUSHES WELL.", "4/12")]
    [InlineData("picc in right ac 10/3 per IV team.", "10/3")]
    public void A_date_after_the_antecubital_site_is_a_date(string text, string date) => AssertFound(text, date, PhiType.Date);

    [Fact]
    public void Assist_control_settings_stay() => AssertKept("VENT: AC 14/5, FIO2 40%.", "14/5");

    /// <summary>
    /// The context rules look at neighbours on both sides: texts made of cue words, initials, digits and punctuation in every
    /// order (seeded) must never index outside the note, and every span must lie inside it.
    /// </summary>
    [Fact]
    public void Rules_at_the_edges_of_a_note_never_fail()
    {
        string[] pieces =
        [
            "Patricia", "WAITE", "mr", "Ms", "S.", "I", "cell#", "410-555-0142", "home", "CEO", "of", "works", "at", "IBMX", "@", "St",
            "A.", "in", "lives", "DC", "general", "hospital", "Hospital", "MD", "from", "to", "Tacoma", "Crest", "MICU/", "/CCU",
            "FENWICKHALL", "Brindletown", "on", "7-8", "CVA", "94", "and", "00", "'", "14'", "98", "s/p", "a", "1->2", "nov,", "96",
            "11/05/11/06", "sept.", "since", "-", ",", ".", "\n", " ",
        ];
        var random = new Random(20261122);
        for (var i = 0; i < 3000; i++)
        {
            var count = random.Next(1, 7);
            var text = string.Concat(Enumerable.Range(0, count).Select(_ => pieces[random.Next(pieces.Length)] + (random.Next(3) == 0 ? "" : " ")));
            var spans = Detect(text);
            Assert.All(spans, s => Assert.True(s.Start >= 0 && s.End <= text.Length && s.Start < s.End, $"span {s.Start}-{s.End} in a note of {text.Length}"));
        }
    }
}
