using System.Text.RegularExpressions;

namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>
/// The regular expressions of the pattern recognizer. Cues come first in an expression (a leading look-behind would be tried
/// at every position of the note); the recognizer trims a match to its value, so it can use
/// <see cref="Regex.EnumerateMatches(ReadOnlySpan{char})"/> and allocate nothing per match.
/// </summary>
internal static partial class PatternRules
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    private const string Months = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
    private const string IdCue = @"\s*(?:number|num|no\.?|#|id)?\s*(?:is\s*)?[:#=]?\s*";

    [GeneratedRegex(@"\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b", Options)]
    public static partial Regex Email();

    [GeneratedRegex(@"\b(?:(?:https?|ftp)://|www\.)[^\s<>""']+[^\s<>""'.,;:)]|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|io|info|biz|us)\b(?:/[^\s<>""']*[^\s<>""'.,;:)])?", Options)]
    public static partial Regex Url();

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)", Options)]
    public static partial Regex IPv4();

    [GeneratedRegex(@"\b(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}:?(?::[0-9a-f]{1,4}){1,6}|(?:[0-9a-f]{1,4}:){2,7}:)(?![\w:])", Options)]
    public static partial Regex IPv6();

    // SSN with consistent delimiters; the bare nine-digit form only after an SSN cue. The two delimiters are spelled out rather
    // than matched by a backreference: the source generator cannot compile a case-insensitive backreference and would fall back
    // to the interpreter (about 6% of detection time in a profile of the benchmark notes). One expression
    // "<delimited>|<after cue>", split so that the digits and the cue words are searched for separately, not every 's'.
    public static readonly RegexAlternation Ssn = new(DelimitedSsn(), SsnAfterCue());

    [GeneratedRegex(@"\b\d{3}(?:-\d{2}-| \d{2} |\.\d{2}\.|/\d{2}/)\d{4}\b(?![-./\s]?\d)", Options)]
    private static partial Regex DelimitedSsn();

    [GeneratedRegex(@"\b(?:ssn|ss#|social\s+security)" + IdCue + @"\d{9}\b", Options)]
    private static partial Regex SsnAfterCue();

    // Fax numbers: a phone shape after a fax cue.
    [GeneratedRegex(@"\bfax(?:\s*(?:number|no\.?|#|:)|\s+[a-z]+){0,3}\s*[:#]?\s*(?:\+?1[-. ]?)?\(?\d{3}\)?[-. ]?\d{3}[-. ]?\d{4}\b", Options)]
    public static partial Regex Fax();

    // North American phone numbers, with or without area code parentheses, including "(555123-4567)" and "555 010-7788".
    [GeneratedRegex(@"(?<![\d/.-])(?:\+?1[-. ]?)?(?:\(\d{3}\)\s?|\(?\b\d{3}[-. )]?\s?)\d{3}[-. ]?\d{4}\)?(?![\d/]|\.\d)|(?<![\d/.-])\b\d{3}[-.]\d{4}\b(?![\d/]|\.\d)", Options)]
    public static partial Regex Phone();

    // Pager, beeper and extension numbers: four or five digits after the cue. One alternation of the cues
    // "pager|beeper|pgr|bpr|pg|page|paged|beep|ext|extension|x|cell|phone|tel|telephone|ph|home|work|office", split (in order)
    // where the generator can search for each group's cue words at once.
    private const string ExtensionNumber = @"(?:\s*(?:number|no\.?|#|at|is|:))*\s*[:#]?\s*\d{4,5}\b(?![/.:]\d)";

    public static readonly RegexAlternation PhoneExtension = new(PagerNumber(), ExtensionAfterX(), PhoneNumberAfterCue());

    [GeneratedRegex(@"\b(?:pager|beeper|pgr|bpr|pg|page|paged|beep|ext|extension)" + ExtensionNumber, Options)]
    private static partial Regex PagerNumber();

    [GeneratedRegex(@"\bx" + ExtensionNumber, Options)]
    private static partial Regex ExtensionAfterX();

    [GeneratedRegex(@"\b(?:cell|phone|tel|telephone|ph|home|work|office)" + ExtensionNumber, Options)]
    private static partial Regex PhoneNumberAfterCue();

    // Phone numbers written with spaces as three groups: "555 201 30417" style, inside parentheses after a visit or call cue.
    [GeneratedRegex(@"(?<=\()\d{3}\s\d{3}\s\d{4,5}(?=\))", Options)]
    public static partial Regex SpacedPhone();

    // Numeric dates: 7/22, 07-22-2019, 7/22/97, 2019-07-22, 7.22.19.
    // A range written as two month/day pairs ("11/05/11/06") comes first, so that it is not cut into a date and a remainder.
    [GeneratedRegex(@"(?<![\d/]|\d[.:-])(?:(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?!/)|(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])\.\d{2}\b|(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?:/(?:19|20)?\d{2})?|(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])-(?:19|20)?\d{2}|(?:0?[1-9]|1[0-2])\.(?:0?[1-9]|[12]\d|3[01])\.(?:19|20)?\d{2}|(?:19|20)\d{2}[/-](?:0?[1-9]|1[0-2])[/-](?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|1[0-2])/(?:19|20)?\d{2})(?![\d/]|\.\d|:\d)", Options)]
    public static partial Regex NumericDate();

    // Month-name dates: "July 22nd", "Jul 22, 2019", "22 Jul", "22nd of July 2019", "March of 1993", "nov, 96" (the recognizer
    // adds a range's first day before them: "3-4 Jan", "3->4 oct").
    // One expression "\b(?:month first|day first)", split in two so that the month-first branch is found by its month prefixes
    // and the day-first one from digits, instead of trying every letter a month or day can start with.
    public static readonly RegexAlternation MonthNameDate = new(MonthFirstDate(), DayFirstDate());

    [GeneratedRegex(@"\b(?:(?:" + Months + @")\.?\s*(?:\d{1,2}(?:st|nd|rd|th)?(?![\d:])(?:\s*,?\s*(?:'?\d{2}|\d{4})\b)?|(?:of\s+|,\s*)?(?:'?\d{2}|\d{4})\b))", Options)]
    private static partial Regex MonthFirstDate();

    [GeneratedRegex(@"\b(?:\d{1,2}(?:st|nd|rd|th)?(?:\s*(?:of|-)\s*|\s*)(?:" + Months + @")\b\.?(?:,?\s*(?:\d{4}|'?\d{2})\b)?)", Options)]
    private static partial Regex DayFirstDate();

    // A month and day written with a dash after a day cue ("taken back to OR on 4-9 for clipping", "since 11-2."): the cue and
    // what follows tell it from a range of values, so only a break or a small joining word may follow ("on 1-2 pillows",
    // "on 2-4 L" stay). The cue is a look-behind so that the scan starts from digits, not from every "on" in the note.
    [GeneratedRegex(@"(?<=\b(?:on|since|until|til|till)\s+)(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])(?=\s*(?:[.,;:)]|\r?\n|$)|\s+(?:for|and|at|to|with|when|where|in|by|the|he|she|pt|s/p)\b)", Options)]
    public static partial Regex MonthDayAfterCue();

    // A month name alone ("in February"): May and March need a number, being ordinary words. The words are january ... december,
    // sept and the three-letter forms, written by their ten prefixes so that the generator searches for those (at most 16) at
    // once; between word boundaries only one of the words can match at a position, so their order does not matter.
    [GeneratedRegex(@"\b(?:jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?!\s*\d)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    public static partial Regex MonthAlone();

    // "on the 3rd", "the 22nd" (the recognizer checks the words before).
    [GeneratedRegex(@"\b(?:[12]?\d|3[01])(?:st|nd|rd|th)\b", Options)]
    public static partial Regex OrdinalDay();

    // Holidays are date elements.
    [GeneratedRegex(@"\b(?:christmas|xmas|thanksgiving|easter|new\s+year'?s(?:\s+(?:day|eve))?|halloween|independence\s+day|memorial\s+day|labor\s+day|valentine'?s\s+day)\b", Options)]
    public static partial Regex Holiday();

    // Four-digit years 1900-2039, not times ("at 1900"), doses or counts ("1950 cc", "x 2000").
    [GeneratedRegex(@"(?<!\b(?:at|@|~|by|until|til|from|since\s+about|approx|about|around|of|x|to|-|and)\s*)(?<![\d.,:/-])(?:19\d{2}|20[0-3]\d)(?:'?s)?(?![\d.,:]\d|\s*(?:-|to)\s*\d{4}|\s*(?:cc|ml|mls|mg|units?|u|kcal|cal|grams?|gm|g|hrs?|hours?|mcg|mmhg|mm|cm|ml/hr|cc/hr|kg|lbs?|meq|minutes?|mins?|pm|am|h)\b)", Options)]
    public static partial Regex Year();

    // Words of a past-history list that a year follows ("MI 92", "TIA in 97"), in groups of at most 16 (the most literal
    // prefixes the generator searches for at once). Within the alternation only cues of which one begins the other ("cabg",
    // "cabgx2", "ca"; "dx", "dx'd") compete for a position, and those keep their order across the groups.
    private const string HistoryCuesFirst = "mi|cabg|cabgx\\d|ptca|avr|mvr|cva|tia|pacer|pacemaker|redo|ablation|stent|stents|surgery|dx";
    private const string HistoryCuesSecond = "dx'd|diagnosed|chole|cholecystectomy|appy|appendectomy|nephrectomy|hysterectomy";
    // "tkr" alone: a 'k' also matches the Kelvin sign case-insensitively, which keeps a group from the multi-string search.
    private const string HistoryCuesThird = "mastectomy|lobectomy|thr|repair|ca|since";
    private const string HistoryCueWithK = "tkr";

    /// <summary>Words of a past-history list that a year follows ("MI 92", "TIA in 97"); the recognizer reads them too.</summary>
    public const string HistoryCues = HistoryCuesFirst + "|" + HistoryCuesSecond + "|" + HistoryCuesThird + "|" + HistoryCueWithK;
    private const string HistoryYear = @"'?(?:[6-9]\d|0\d)\b(?![\d.%/]|\s*(?:%|cc|ml|mg|units?|u|mmhg|mm|cm|kg|lbs?|hrs?|minutes?|mins?|yo|y/o|yr|year|years|days?|weeks?|wks?|months?|mos?|pm|am|beats|bpm|times|x)\b)";

    // Two-digit years: '92, or after a history cue in a past-history list ("MI 92", "CABG 81", "TIA in 97"). One expression
    // "(?<![\w'])'\d{2}\b(?!')|\b(?:<history cues>)<year after cue>", split into the apostrophe form and one branch per group
    // of cues, in order.
    private const string YearAfterHistoryCue = @"(?:\s+in)?\s*(?:x\s*\d\s*)?" + HistoryYear;

    public static readonly RegexAlternation TwoDigitYear = new(
        ApostropheYear(), YearAfterHistoryCueFirst(), YearAfterHistoryCueSecond(), YearAfterHistoryCueThird(), YearAfterHistoryCueWithK());

    [GeneratedRegex(@"(?<![\w'])'\d{2}\b(?!')", Options)]
    private static partial Regex ApostropheYear();

    [GeneratedRegex(@"\b(?:" + HistoryCuesFirst + ")" + YearAfterHistoryCue, Options)]
    private static partial Regex YearAfterHistoryCueFirst();

    [GeneratedRegex(@"\b(?:" + HistoryCuesSecond + ")" + YearAfterHistoryCue, Options)]
    private static partial Regex YearAfterHistoryCueSecond();

    [GeneratedRegex(@"\b(?:" + HistoryCuesThird + ")" + YearAfterHistoryCue, Options)]
    private static partial Regex YearAfterHistoryCueThird();

    [GeneratedRegex(@"\b(?:" + HistoryCueWithK + ")" + YearAfterHistoryCue, Options)]
    private static partial Regex YearAfterHistoryCueWithK();

    // A two-digit year closed by an apostrophe ("repair in 14'"); the recognizer wants "in" or "since" before it.
    [GeneratedRegex(@"\b\d{2}(?='(?![\w']))", Options)]
    public static partial Regex YearWithClosingApostrophe();

    // The second year of a pair ("97 and 03", "88, 02"): the recognizer wants a history cue before the first.
    [GeneratedRegex(@"'?\b(?:[6-9]\d|0\d)\s*(?:,|and|&)\s*" + HistoryYear, Options)]
    public static partial Regex YearPair();

    // Ages over 89 (the number only): "98 yo", "92 year old", "age 93", "aged 101".
    // One expression "<number before years>|<number after age>", split so that the age branch is searched for by its word, not
    // from every 'a'.
    public static readonly RegexAlternation AgeOver89 = new(AgeBeforeYears(), AgeAfterAgeWord());

    [GeneratedRegex(@"\b(?:9\d|1[0-2]\d)(?=\s*(?:-|\s)?\s*(?:yo|y/o|y\.o\.?|yr|yrs|year|years|yoa|y)\b(?:\s*-?\s*old)?)", Options)]
    private static partial Regex AgeBeforeYears();

    [GeneratedRegex(@"\bage[ds]?\s*:?\s*(?:9\d|1[0-2]\d)\b", Options)]
    private static partial Regex AgeAfterAgeWord();

    // Ages over 89 in words ("a ninety-three-year-old", "age ninety-four", "one hundred and two years old"); the recognizer
    // wants "one" or "a" before "hundred" (and takes it in), and a years-old cue after the number or an age word before it.
    // The expression starts at "ninety" or "hundred", literals the generator searches for, not at every 'a' or 'o'.
    private const string Units = "one|two|three|four|five|six|seven|eight|nine";

    [GeneratedRegex(@"\b(?:ninety(?:[- ](?:" + Units + @"))?|hundred(?:(?:\s+and)?[- ](?:" + Units
        + @"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ](?:" + Units + @"))?))?)\b(?!-(?:" + Units + @")\b)", Options)]
    public static partial Regex AgeInWords();

    // A number over 89 before "s/p", "h/o" or a sex ("98 s/p hip fx", "a 93 F with"): an age when it opens a line or follows
    // "a"/"an" (the recognizer checks), not a heart rate ("HR 92 s/p lopressor").
    [GeneratedRegex(@"\b(?:9\d|1[01]\d)(?=\s*(?:s/p|h/o|w/|yom|yof|female|male|woman|man|gentleman|gent|lady|f|m)\b)", Options)]
    public static partial Regex AgeBeforeHistory();

    [GeneratedRegex(@"\b(?:mrn|mr\s*#|mr\s*no|medical\s+record|med\s+rec|(?:unit|hospital|chart|record)\s*(?:number|no\.?|#))" + IdCue + @"(?=[a-z-]*\d)[a-z0-9][a-z0-9-]{3,}\b", Options)]
    public static partial Regex MedicalRecordNumber();

    [GeneratedRegex(@"\b(?:member|policy|subscriber|beneficiary|insurance|medicare|medicaid|plan|group|hic|hicn|mbi)" + IdCue + @"(?=[a-z-]*\d)[a-z0-9][a-z0-9-]{4,}\b", Options)]
    public static partial Regex HealthPlanNumber();

    [GeneratedRegex(@"\b(?:account|acct|acc|billing|invoice|claim)" + IdCue + @"(?=[a-z-]*\d)[a-z0-9][a-z0-9-]{3,}\b", Options)]
    public static partial Regex AccountNumber();

    [GeneratedRegex(@"\b(?:license|licence|lic|dea|certificate|cert|driver'?s\s+license|dl)" + IdCue + @"(?=[a-z-]*\d)[a-z0-9][a-z0-9-]{4,}\b", Options)]
    public static partial Regex LicenseNumber();

    [GeneratedRegex(@"\b(?:vin|plate|tag|license\s+plate|vehicle)" + IdCue + @"(?=[a-z-]*\d)[a-z0-9][a-z0-9-]{3,}\b|\b[a-hj-npr-z0-9]{17}\b", Options)]
    public static partial Regex VehicleIdentifier();

    [GeneratedRegex(@"\b(?:serial|s/n|sn|device|model|lot|udi|imei|pacemaker|icd|implant)" + IdCue + @"(?=[a-z-]*\d)[a-z0-9][a-z0-9-]{4,}\b", Options)]
    public static partial Regex DeviceIdentifier();

    // Any other reference number after a cue ("ref # 4410297", "policy #qx42") and long digit runs anywhere. One expression
    // "(?:\b(?:<cue words>)|#)<identifier>|<long number>", split into its three branches in order.
    private const string IdentifierAfterCue = IdCue + @"(?=[a-z-]*\d)[a-z0-9][a-z0-9-]{2,}\b";

    public static readonly RegexAlternation OtherIdentifier = new(IdentifierAfterCueWord(), IdentifierAfterHash(), LongNumber());

    [GeneratedRegex(@"\b(?:ref|reference|case|confirmation|conf|id|identifier|code|order|requisition|req|specimen|accession|npi)" + IdentifierAfterCue, Options)]
    private static partial Regex IdentifierAfterCueWord();

    [GeneratedRegex("#" + IdentifierAfterCue, Options)]
    private static partial Regex IdentifierAfterHash();

    [GeneratedRegex(@"(?<![\d.,/-])\d{7,}(?![\d.,/]\d)", Options)]
    private static partial Regex LongNumber();

    // ZIP codes: five digits; the recognizer requires a state (name or postal code) or a ZIP cue before them.
    [GeneratedRegex(@"\b\d{5}(?:-\d{4})?\b", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    public static partial Regex Zip();

    // Apartment and suite numbers: "Apt 12", "Apt. 4B", "Suite 200", "apartment #3".
    [GeneratedRegex(@"\b(?:apt|apartment|suite|ste)\.?\s*#?\s*\d{1,5}[a-z]?\b", Options)]
    public static partial Regex ApartmentNumber();

    // Post office boxes: "PO Box 118", "P.O. Box 42", "post office box 7". The expression starts at "box" (a literal to search
    // for, where "po" would start at every 'p'); the recognizer wants the "PO" before it and takes it in.
    [GeneratedRegex(@"\bbox\s*#?\s*\d{1,6}\b", Options)]
    public static partial Regex PostOfficeBox();

    // Street addresses: "12 Main St", "4400 North Charles Street".
    [GeneratedRegex(@"\b\d{1,5}\s+(?:[nsew]\.?\s+)?(?:(?:[a-z][a-z'-]+|\d{1,3}(?:st|nd|rd|th))\s+){1,3}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|cir|highway|hwy|parkway|pkwy|pike|square|sq)\b\.?", Options)]
    public static partial Regex StreetAddress();
}
