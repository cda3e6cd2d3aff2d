using HealthAI.Deid.Detection;
using static HealthAI.Deid.Tests.TestDetector;

namespace HealthAI.Deid.Tests;

/// <summary>
/// Pattern rules for PHI in the forms a mixed-case probe of the detector found left in the text: SSNs with dots or slashes,
/// ages over 89 in words, post office boxes, a street after an address label, and short dates that an event or a visit dates.
/// Each class also has the clinical text it must keep.
/// </summary>
public sealed class PatternRuleTests
{
    [Theory]
    [InlineData("SSN: 512.38.4471 verified at registration.", "512.38.4471")]
    [InlineData("Pt gave SSN 512/38/4471 to the clerk.", "512/38/4471")]
    [InlineData("SSN 512-38-4471 on file.", "512-38-4471")]
    public void Social_security_numbers_with_any_consistent_delimiter_go(string text, string ssn) => AssertFound(text, ssn, PhiType.Ssn);

    [Theory]
    [InlineData("A ninety-three-year-old man presents with syncope.", "ninety-three")]
    [InlineData("Age ninety-four. Lives alone.", "ninety-four")]
    [InlineData("Pt is one hundred and two years old and alert.", "one hundred and two")]
    [InlineData("She is ninety years old.", "ninety")]
    [InlineData("aged a hundred, still walks daily", "a hundred")]
    public void Ages_over_89_in_words_go(string text, string age) => AssertFound(text, age, PhiType.Age);

    [Theory]
    [InlineData("She walked ninety feet with a walker.", "ninety")]
    [InlineData("Ninety percent of the dose was given.", "Ninety")]
    [InlineData("Counted one hundred and two beats per minute.", "one hundred and two")]
    [InlineData("Lived two hundred years ago, per the family history.", "two hundred")]
    public void Numbers_in_words_without_an_age_cue_stay(string text, string number) => AssertKept(text, number);

    [Theory]
    [InlineData("Mailing address PO Box 118, Quincy.", "PO Box 118")]
    [InlineData("Bills go to P.O. Box 42.", "P.O. Box 42")]
    [InlineData("Mail to post office box 7 in town.", "post office box 7")]
    [InlineData("Address: 42 Maple Street, second floor.", "42 Maple Street")]
    [InlineData("Addr - 42 Maple St", "42 Maple St")]
    public void Post_office_boxes_and_labelled_streets_are_locations(string text, string place) => AssertFound(text, place, PhiType.Location);

    [Theory]
    [InlineData("Take 1 tab PO daily.", "PO")]
    [InlineData("Kept the pills in a box 3 times a week.", "box 3")]
    [InlineData("Foley: 3 way catheter placed.", "3 way")]
    public void Oral_doses_and_labelled_devices_stay(string text, string words) => AssertKept(text, words);

    [Theory]
    [InlineData("Seen on 1/3 for follow-up.", "1/3")]
    [InlineData("Fever started on 3/4 at 2 pm.", "3/4")]
    [InlineData("Next appointment 3/4.", "3/4")]
    public void Short_dates_after_an_event_or_a_visit_go(string text, string date) => AssertFound(text, date, PhiType.Date);

    [Theory]
    [InlineData("Dialysis on the 3rd, 5th, and 7th of this month.", "5th")]
    [InlineData("Dialysis on the 3rd, 5th, and 7th of this month.", "7th")]
    [InlineData("Seen since the 2nd & 9th.", "9th")]
    public void Days_listed_after_a_day_cue_go(string text, string day) => AssertFound(text, day, PhiType.Date);

    [Theory]
    [InlineData("Swelling of the 1st, 2nd and 3rd fingers.", "2nd")]
    [InlineData("Grade 2, 3rd degree burns on the arm.", "3rd")]
    public void Ordinals_listed_without_a_day_cue_stay(string text, string ordinal) => AssertKept(text, ordinal);

    [Theory]
    [InlineData("Lives at 350 5th Ave with her son.", "350 5th Ave")]
    [InlineData("Home: 88 Harbor View Dr, Apt 12, second floor.", "Apt 12")]
    [InlineData("Office at 10 Main St, Suite 200.", "Suite 200")]
    public void Ordinal_streets_and_apartment_numbers_are_locations(string text, string place) => AssertFound(text, place, PhiType.Location);

    [Theory]
    [InlineData("Rales 1/3 up bilaterally.", "1/3")]
    [InlineData("Given 1/2 tab of lorazepam.", "1/2")]
    [InlineData("Strength 3/4 in the left leg.", "3/4")]
    public void Fractions_stay(string text, string fraction) => AssertKept(text, fraction);
}
