using HealthAI.Deid.Detection;
using static HealthAI.Deid.Tests.TestDetector;

namespace HealthAI.Deid.Tests;

/// <summary>
/// The context rules of the token recognizer and the validators of the pattern recognizer, each on sentences written for the
/// test (nursing-note style, mostly upper case): the PHI that a rule must find, and the clinical words it must leave alone.
/// </summary>
public sealed class ContextRuleTests
{
    [Theory]
    [InlineData("CONT MECH VENT SUPPORT. HUO 30-40CC.", "MECH")]
    [InlineData("CONT MECH VENT SUPPORT. HUO 30-40CC.", "HUO")]
    [InlineData("Bair hugger on for temp 35.2, PERLA 3mm.", "Bair")]
    [InlineData("Bair hugger on for temp 35.2, PERLA 3mm.", "PERLA")]
    [InlineData("HR 50s sinus brady, no ectopy.", "brady")]
    [InlineData("Family speaks Russian; pt moved here from Illinois.", "Russian")]
    [InlineData("Family speaks Russian; pt moved here from Illinois.", "Illinois")]
    public void Shorthand_languages_and_states_in_name_lists_stay(string text, string word) => AssertKept(text, word);

    [Theory]
    [InlineData("MS: SEDATED ON PROPOFOL, MAE.", "SEDATED")]
    [InlineData("ms: cont on ativan at 4mg/hr.", "cont")]
    [InlineData("RESP: ON 4L NP. O2 SATS 94%.", "O")]
    [InlineData("sats 93% on 5l np. Face mask at night.", "Face")]
    [InlineData("CODE STATUS FORM AWAITS ATTENDING CO-SIGNATURE.", "SIGNATURE")]
    public void Roles_and_mental_status_headings_are_not_titles(string text, string word) => AssertKept(text, word);

    [Theory]
    [InlineData("Mary Jones called this morning.", "Mary")]
    [InlineData("Mary Jones called this morning.", "Jones")]
    [InlineData("Call John Smith tomorrow with results.", "John")]
    [InlineData("Call John Smith tomorrow with results.", "Smith")]
    [InlineData("Jane Doe called.", "Jane")]
    [InlineData("Jane Doe called.", "Doe")]
    [InlineData("Patient Mary Doe was seen.", "Mary")]
    [InlineData("Patient Mary Doe was seen.", "Doe")]
    public void A_capitalized_given_name_and_surname_are_a_name_without_a_cue(string text, string name) =>
        AssertFound(text, name, PhiType.Name);

    [Theory]
    [InlineData("Pt c/o DOE and SOB on exertion.", "DOE")]
    [InlineData("Patient reports doe with stairs.", "doe")]
    [InlineData("Chief Complaint: chest pain.", "Chief")]
    [InlineData("Heart Rate stable overnight.", "Heart")]
    [InlineData("Major Bleeding Protocol started.", "Major")]
    public void Abbreviations_headings_and_all_capitals_are_not_a_given_name_and_surname(string text, string word) =>
        AssertKept(text, word);

    [Theory]
    [InlineData("Patient was seen by Smith and Patel this morning.", "Smith")]
    [InlineData("Patient was seen by Smith and Patel this morning.", "Patel")]
    [InlineData("Handoff given by White at 1900.", "White")]
    [InlineData("Seen jointly with Wood and Price today.", "Wood")]
    [InlineData("Seen jointly with Wood and Price today.", "Price")]
    [InlineData("Plan discussed with Young, who agrees.", "Young")]
    [InlineData("Results paged Hill overnight.", "Hill")]
    public void A_capitalized_surname_after_a_person_cue_or_listed_with_a_name_is_a_name(string text, string name) =>
        AssertFound(text, name, PhiType.Name);

    [Theory]
    [InlineData("O'Connor, Patrick - 78M - bed 12", "O'Connor")]
    [InlineData("O'Connor, Patrick - 78M - bed 12", "Patrick")]
    [InlineData("O'Malley was seen on rounds.", "O'Malley")]
    [InlineData("FAMILY: O'BRIEN AT BEDSIDE.", "O'BRIEN")]
    public void Surnames_with_the_O_apostrophe_prefix_are_names(string text, string name) => AssertFound(text, name, PhiType.Name);

    [Theory]
    [InlineData("Meds given at 9 o'clock.", "o'clock")]
    [InlineData("Next dose at 10 O'Clock.", "O'Clock")]
    public void The_hour_stays(string text, string word) => AssertKept(text, word);

    [Theory]
    [InlineData("Complains of Pain and Fever since Monday.", "Pain")]
    [InlineData("Referred to Physical Therapy for gait.", "Physical")]
    [InlineData("BP improved with Lasix and rest.", "Lasix")]
    [InlineData("seen by white coat team", "white")]
    [InlineData("Plan to advance to House diet.", "House")]
    [InlineData("Dressing to Left leg changed.", "Left")]
    public void Capitalized_terms_after_a_person_cue_and_all_capitals_stay(string text, string word) => AssertKept(text, word);

    [Theory]
    [InlineData("Ms. Alvarez called for update.", "Alvarez")]
    [InlineData("BP 88/40, NP CAROL AWARE, HESPAN GIVEN.", "CAROL")]
    [InlineData("transfer note: mrs cohen is a pleasant woman.", "cohen")]
    [InlineData("neuro: MR. POWERS ALERT.", "POWERS")]
    [InlineData("SEEN BY DR. FOLEY THIS AM.", "FOLEY")]
    public void Titles_before_names_make_names(string text, string name) => AssertFound(text, name, PhiType.Name);

    [Theory]
    [InlineData("FREQUENT PVC'S. W. TELLAMY AWARE.", "W")]
    [InlineData("FREQUENT PVC'S. W. TELLAMY AWARE.", "TELLAMY")]
    [InlineData("sats 87% -> J. Okafor to evaluate.", "Okafor")]
    [InlineData("nsg (d. pellard and j. obrienski) verified amt.", "pellard")]
    public void An_initial_and_a_surname_are_a_name(string text, string name) => AssertFound(text, name, PhiType.Name);

    [Theory]
    [InlineData("A. PNEUMONIA\nP. CEFTRIAX PER ID TEAM", "PNEUMONIA")]
    [InlineData("A. PNEUMONIA\nP. CEFTRIAX PER ID TEAM", "CEFTRIAX")]
    [InlineData("Keep careful I & O. Check K+ in am.", "Check")]
    [InlineData("Denies n/v. Fruit cup left at bedside.", "Fruit")]
    [InlineData("close to R. mainstem, pulled back.", "mainstem")]
    public void Headings_sides_and_shorthand_are_not_initials(string text, string word) => AssertKept(text, word);

    [Theory]
    [InlineData("K 3.2, REPLETED. GRUNDVIK AWARE.", "GRUNDVIK", true)]
    [InlineData("RUN OF BIGEMINY, WILMA PRENDERGAST AWARE.", "PRENDERGAST", true)]
    [InlineData("SBP 70S, MD AWARE, TEAM AWARE, FAMILY AWARE.", "FAMILY", false)]
    [InlineData("SBP 70S, MD AWARE, TEAM AWARE, FAMILY AWARE.", "TEAM", false)]
    public void A_name_before_aware_is_a_name(string text, string word, bool isName)
    {
        if (isName)
        {
            AssertFound(text, word, PhiType.Name);
        }
        else
        {
            AssertKept(text, word);
        }
    }

    [Theory]
    [InlineData("Resp: LS clear. Will continue to wean.\n\nMaria Quellhorst", "Quellhorst")]
    [InlineData("PT RESTING COMFORTABLY.\nSUSAN\n", "SUSAN")]
    public void A_closing_line_of_names_is_a_signature(string text, string name) => AssertFound(text, name, PhiType.Name);

    [Theory]
    [InlineData("BP LABILE.\nPLAN: CONT\nCHECK LABS.", "LABS")]
    [InlineData("a stable\n p full code", "code")]
    public void A_closing_line_of_words_is_no_signature(string text, string word) => AssertKept(text, word);

    [Theory]
    [InlineData("NEBS GIVEN. ROLAND C. BAKER, RRT", "ROLAND")]
    [InlineData("NEBS GIVEN. ROLAND C. BAKER, RRT", "BAKER")]
    [InlineData("COAGS SENT. ODETTE WILLIAM RN", "WILLIAM")]
    [InlineData("all is quiet at this time. Q. FARRINGDON RRT", "FARRINGDON")]
    public void Names_before_a_credential_are_names(string text, string name) => AssertFound(text, name, PhiType.Name);

    [Theory]
    [InlineData("WILL PAGE PT AND WOUND CARE RN.", "CARE")]
    [InlineData("PLEASE ALSO SEE MD NOTES.", "SEE")]
    [InlineData("PLAN TO BEGIN NIPRIDE, MD'S AWARE.", "NIPRIDE")]
    [InlineData("all is quiet at this time. Q. FARRINGDON RRT", "time")]
    public void Words_before_a_credential_stay(string text, string word) => AssertKept(text, word);

    [Theory]
    [InlineData("SOCIAL: SON BILL CALLED FOR UPDATE.", "BILL", true)]
    [InlineData("social: bob stopped by after supper.", "bob", true)]
    [InlineData("SOCIAL:DAUGHTER-ROSALIND---555 010-7788", "ROSALIND", true)]
    [InlineData("lives w/ daughter VERONICA who is proxy.", "VERONICA", true)]
    [InlineData("son came in to visit, wife made aware.", "came", false)]
    [InlineData("Social-Friends in to visit, husband updated.", "Friends", false)]
    [InlineData("sister called. visit from son. Found out pt fell.", "Found", false)]
    public void Given_names_after_relations_are_names_and_words_are_not(string text, string word, bool isName)
    {
        if (isName)
        {
            AssertFound(text, word, PhiType.Name);
        }
        else
        {
            AssertKept(text, word);
        }
    }

    [Theory]
    [InlineData("TRANSFERRED FROM UNION HOSPITAL FOR CATH.", "UNION")]
    [InlineData("pt to go to sacred heart hospital this pm.", "sacred")]
    [InlineData("Had a valve repair at Holy Cross.", "Cross")]
    [InlineData("insulin per U Vermont scale.", "Vermont")]
    [InlineData("transferred from Brayford-Regional Hosp for cath.", "Regional")]
    [InlineData("BRAYFORD REGIONAL HOSP BY AMBULANCE", "BRAYFORD")]
    [InlineData("social: married, lives in Catonsvale, husband at bedside.", "Catonsvale")]
    [InlineData("stays at a family shelter in Pellmoor area.", "Pellmoor")]
    [InlineData("was visiting family in Myrtle Beach when he fell.", "Beach")]
    [InlineData("poss transfer to wyndcastle 2/3 later.", "wyndcastle")]
    [InlineData("plan: WYNDCASTLE 2 this am.", "WYNDCASTLE")]
    [InlineData("ADMITTED FROM BRAYFD HOSP.", "BRAYFD")]
    [InlineData("pt came into GH on 7/18.", "GH")]
    public void Institutions_towns_and_wards_are_locations(string text, string place) => AssertFound(text, place, PhiType.Location);

    [Theory]
    [InlineData("TRANSFERRED FROM UNION HOSPITAL FOR CATH.", "HOSPITAL")]
    [InlineData("P: FOLLOW RESP STATUS, BEGIN REHAB.", "BEGIN")]
    [InlineData("she'll need pt and poss rehab after d/c.", "poss")]
    [InlineData("CABG site clean with red center.", "red")]
    [InlineData("RESP: NEEDED REINTUBATION 4/12 FOR STRIDOR.", "REINTUBATION")]
    [InlineData("CO 5.4 ON DOBUT 4MCG/KG.", "DOBUT")]
    [InlineData("SR TO ST. HIGH HR SETTLED WITH FLUIDS.", "HIGH")]
    [InlineData("SKIN: REDDENED PERIANAL AREA.", "PERIANAL")]
    public void Generic_institution_words_and_clinical_words_stay(string text, string word) => AssertKept(text, word);

    [Theory]
    [InlineData("RESP: ON BIPAP 10/5 65%.", "10/5")]
    [InlineData("pt trialed on 5/5 this am, tolerated.", "5/5")]
    [InlineData("CPAP .5%, 6/14. SETTINGS UNCHANGED.", "6/14")]
    [InlineData("PT LATER HAD 8/10 CP, RELIEVED BY NTG.", "8/10")]
    [InlineData("c/o 3/10 l back pain in am.", "3/10")]
    [InlineData("HR 70s A PACED +3/6 SEM.", "3/6")]
    [InlineData("next ABG due @ 1900.", "1900")]
    [InlineData("KUB done ~ 1930, negative.", "1930")]
    [InlineData("pt moved onto 1st step mattress.", "1st")]
    [InlineData("blood tracking into the 4th ventricle.", "4th")]
    [InlineData("SVR in the 900-1300 range.", "900-1300")]
    [InlineData("GU: 3 WAY FOLEY FOR IRRIGATION.", "3 WAY")]
    [InlineData("BP < 120 PER DR OKAFOR.", "120")]
    public void Settings_scores_times_and_ranges_stay(string text, string value) => AssertKept(text, value);

    [Theory]
    [InlineData("Plan to extubate 6/17 if stable.", "6/17")]
    [InlineData("returns on the 3rd for follow up.", "3rd")]
    [InlineData("TRACH PLACED 8/14, AC 100%.", "8/14")]
    [InlineData("Lives at 12 Oak Street with wife.", "12 Oak Street")]
    public void Dates_and_addresses_still_go(string text, string value) => AssertFound(text, value);
}
