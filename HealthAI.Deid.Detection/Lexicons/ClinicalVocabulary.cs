namespace HealthAI.Deid.Detection.Lexicons;

/// <summary>
/// Hand-written clinical word lists. They keep terse clinical shorthand, drugs and eponyms from being read as names or places
/// (the name lexicon holds FOLEY, BELL, PARKINSON ...) and give the recognizers their context words.
/// </summary>
internal static class ClinicalVocabulary
{
    /// <summary>Clinical abbreviations, drugs and terms that are not ordinary English but are never PHI on their own.</summary>
    public static readonly string[] Terms =
    [
        // Shorthand of nursing and physician notes.
        "pt", "pts", "pt's", "yo", "y/o", "yr", "yrs", "hx", "pmh", "hpi", "dx", "rx", "tx", "sx", "fx", "s/p", "c/o", "w/", "r/o",
        "f/u", "b/l", "bil", "nsg", "ccu", "micu", "sicu", "csru", "icu", "nicu", "picu", "er", "ed", "or", "pacu", "ew", "rn", "md", "np",
        "pa", "resp", "neuro", "cv", "gi", "gu", "id", "heme", "renal", "endo", "skin", "psych", "soc", "dispo", "aox3", "a&ox3",
        "aox", "mae", "perrl", "perla", "nad", "wnl", "sob", "doe", "cp", "ns", "lr", "d5w", "ivf", "iv", "po", "pr", "sq", "sc", "im",
        "prn", "qd", "bid", "tid", "qid", "qhs", "qh", "hs", "ac", "pc", "npo", "ngt", "ogt", "ett", "trach", "peg", "picc", "cvl",
        "tlc", "aline", "a-line", "swan", "foley", "dobhoff", "bipap", "cpap", "peep", "fio2", "sao2", "spo2", "o2", "nc", "np",
        "fm", "nrb", "vent", "cmv", "simv", "psv", "imv", "abg", "vbg", "cbc", "bmp", "chem", "lfts", "inr", "ptt", "pt/inr",
        "bun", "cr", "creat", "hct", "hgb", "wbc", "plt", "plts", "na", "mg", "ca", "phos", "lytes", "glu", "bs", "fs", "fsbs",
        "abx", "vanco", "vancomycin", "zosyn", "levo", "levofloxacin", "flagyl", "cipro", "ceftriaxone", "gent", "gentamicin",
        "lasix", "furosemide", "lopressor", "metoprolol", "captopril", "lisinopril", "digoxin", "dig", "amiodarone", "heparin",
        "coumadin", "warfarin", "plavix", "asa", "ativan", "haldol", "morphine", "ms", "mso4", "dilaudid", "fentanyl", "propofol",
        "versed", "tylenol", "percocet", "kcl", "kayexalate", "insulin", "nph", "ssri", "riss", "ppi", "protonix", "pepcid",
        "colace", "senna", "dulcolax", "lactulose", "nitro", "ntg", "dopamine", "dobutamine", "neo", "neosynephrine", "levophed",
        "vasopressin", "ffp", "prbc", "prbcs", "plt", "albumin", "nystatin", "solumedrol", "prednisone", "combivent", "albuterol",
        "atrovent", "mucomyst", "cabg", "ptca", "mvr", "avr", "cad", "chf", "copd", "htn", "dm", "niddm", "iddm", "cri", "crf",
        "arf", "esrd", "afib", "a-fib", "aflutter", "vtach", "vfib", "nsr", "st", "sb", "svt", "pvc", "pvcs", "pac", "pacs",
        "lbbb", "rbbb", "mi", "nstemi", "stemi", "cva", "tia", "pe", "dvt", "uti", "uri", "pna", "ards", "sepsis", "gib", "ugib",
        "lgib", "ercp", "egd", "tee", "tte", "echo", "ekg", "ecg", "cxr", "ct", "cta", "mri", "mra", "kub", "us", "vq", "cath",
        "pcp", "hcp", "dnr", "dni", "cmo", "ooc", "oob", "ob", "aao", "hob", "rom", "lle", "rle", "lue", "rue", "bue", "ble",
        "lll", "rll", "rul", "lul", "rml", "cta", "bs", "bsx4", "ls", "hr", "bp", "rr", "sbp", "dbp", "map", "cvp", "pap", "pcwp",
        "co", "ci", "svr", "svo2", "ef", "lvef", "tf", "tfs", "ivp", "gtt", "gtts", "mcg", "mg", "meq", "cc", "ml", "kg", "lb",
        "lbs", "hrs", "min", "mins", "sec", "mmhg", "cm", "mm", "u/o", "uo", "i&o", "i/o", "ngtd", "osh", "sdu", "vna", "ltc",
        "snf", "rehab", "pt/ot", "ot", "slp", "sw", "cm", "cxr's", "abd", "ext", "extrem", "extremities", "dsg", "drsg", "wt",
        "ht", "tmax", "temp", "afeb", "afebrile", "sat", "sats", "lg", "sm", "mod", "min", "max", "amt", "amts", "yel", "cl",
        "drk", "qs", "ivpb", "ngt", "lcs", "sq", "ted", "teds", "pnd", "pndx", "cont", "cont'd", "d/c", "dc'd", "d/c'd", "dcd",
        "appt", "approx", "tol", "tolerating", "bm", "bms", "ivc", "svc", "pic", "dsd", "lpm", "nrbm", "hme", "ett", "bal",
        "rsbi", "vs", "vss", "hemodynamically", "sedated", "intubated", "extubated", "diuresis", "diuresed", "diurese",
        "hyperkalemia", "hypokalemia", "hypotension", "hypotensive", "hypertension", "hypertensive", "tachycardic", "bradycardic",
        "coag", "coags", "av", "br", "vea", "irr", "loc", "ros", "chol", "supp", "fr", "cordis", "fick", "destin", "hosp", "amb",
        "bilat", "mn", "esp", "ganz", "doppler", "allegra", "contin", "sys", "noc", "rij", "lij", "pcu", "ccu", "tpp", "uop", "angio", "zarox", "camode", "commode", "sxn", "sxns", "tsicu", "vicu", "mpa", "hrly", "q1h", "q2h", "q4h", "q6h", "q8h", "q12h", "qam", "qpm",

        // Shorthand and brand names that name lists also hold as surnames ("mech vent", "HUO", "PERL", "Bair hugger").
        "mech", "huo", "perl", "perla", "perrla", "pearl", "pearla", "sao", "pao", "paco", "sao2", "pao2", "vue", "bair", "shiley",
        "kling", "kerlix", "lente", "zoll", "hoyer", "passy", "muir", "maint", "sero", "serosang", "gluc", "sig", "ent", "vit",
        "vap", "apap", "neph", "nephro", "prox", "dopp", "crea", "flo", "venti", "genta", "tyl", "spiro", "floro", "cortis",
        "coord", "anest", "anesth", "dept", "assis", "asst", "ronchi", "rhonchi", "cheyne", "lipps", "ota", "ho", "hos", "ade",
        "vaca", "sem", "abi", "abis", "lix", "tah", "atl", "fic", "ols", "osa", "ines", "rua", "rue", "lue", "lle", "rle", "dat",
        "raf", "cal", "sul", "cing", "neice", "prev", "poss", "dept", "pacer", "trach", "lg", "fent", "reg", "mag", "tele", "ace",
        "lytes", "dilt", "diltiazem", "carafate", "reglan", "pitressin", "neosynephrine", "levoflox", "zaroxolyn", "zaroxyln",
        "lopressor", "milrinone", "natrecor", "nitroglycerin", "promote", "pulmocare", "nepro", "jevity", "impact", "osmolite",
        "coli", "aureus", "diff", "difficile", "pneumoniae", "epidermidis", "faecalis", "faecium", "albicans", "glabrata",
        "influenzae", "aeruginosa", "cloacae", "marcescens", "klebsiella", "enterococcus", "pseudomonas", "mrsa", "vre", "cvvh",
        "cvvhd", "cvvhdf", "pleth", "fick", "etoh", "usoh", "nh", "ph", "gsh", "riker", "quinton", "hickman", "cordis", "bariair",
        "kinair", "triadyne", "roho", "medflight", "rabbi", "chaplain", "chapl", "sxn", "nsg", "rrt", "rt", "ivp", "abd", "brady",
        "tachy", "passey", "passy-muir",
    ];

    /// <summary>Words after a name that vouch for it ("W. SMITH AWARE", "GRUNDVIK AWARE").</summary>
    public static readonly string[] NameCuesAfter = ["aware"];

    /// <summary>Institution words that are part of the name itself ("Union Memorial", "Laurel Regional", "Mount Carmel").</summary>
    public static readonly string[] ProperInstitutionWords = ["memorial", "sinai", "regional", "adventist", "general"];

    /// <summary>Medical eponyms and phrases that stay even though a word of them is a name ("Foley catheter" stays).</summary>
    public static readonly string[] EponymPhrases =
    [
        "foley catheter", "foley", "parkinson's disease", "parkinsons disease", "parkinson disease", "parkinson's", "bell's palsy",
        "barrett's esophagus", "barrett's esophagitis", "down syndrome", "down's syndrome", "dressler syndrome", "fournier gangrene",
        "lambert-eaton", "morison's pouch", "swan-ganz", "swan ganz", "st. jude valve", "st jude valve", "st. jude", "wilson's disease",
        "west nile", "hodgkin's lymphoma", "hodgkin lymphoma", "non-hodgkin", "hodgkin's", "crohn's disease", "crohns disease",
        "crohn's", "alzheimer's disease", "alzheimer's", "alzheimers", "graves disease", "graves' disease", "cushing's syndrome",
        "addison's disease", "guillain-barre", "guillain barre", "kaposi's sarcoma", "hashimoto's", "raynaud's", "sjogren's",
        "tourette's", "huntington's disease", "huntington's", "wernicke's", "korsakoff", "babinski", "homans sign", "murphy's sign",
        "kussmaul", "cheyne-stokes", "cheyne stokes", "trendelenburg", "fowler's", "semi-fowler's", "semi fowlers", "allen test",
        "glasgow coma scale", "glasgow", "apgar", "whipple", "nissen", "roux-en-y", "billroth", "hartmann's pouch", "jackson-pratt",
        "jp drain", "pleurx", "miami j", "miami-j", "philadelphia collar", "denver shunt", "levin tube", "salem sump", "dobhoff",
        "sengstaken-blakemore", "minnesota tube", "ambu", "yankauer", "coude", "pigtail", "hickman", "groshong", "quinton",
        "mahurkar", "broviac", "greenfield filter", "ace wrap", "ace bandage", "thompson", "tegaderm", "duoderm", "kerlix",
        "wolff-parkinson-white", "mallory-weiss", "zenker's", "meckel's", "virchow's", "bence jones", "foley's",
        "romberg", "braden scale", "braden score", "phalen's", "brudzinski", "ranson's criteria", "ranson criteria", "ludwig's angina",
        "kawasaki disease", "lachman", "mcmurray", "epley", "auspitz", "broca's", "holter", "kaplan-meier", "austin flint",
        "ehlers-danlos", "richmond agitation", "montreal cognitive",
    ];

    /// <summary>Titles that make the next word a name ("Dr. Parkinson" goes).</summary>
    public static readonly string[] Titles =
    [
        "dr", "drs", "doctor", "mr", "mrs", "ms", "miss", "mister", "prof", "professor", "rev", "reverend", "dict", "dictated",
        "cosigned", "attending", "pcp", "np", "rn",
    ];

    /// <summary>
    /// Words that introduce the patient ("Patient John Smith", "Pt: MARY SOUZA", "Name: ..."): the next word is a name when it is
    /// a known name or a capitalized word that is not an ordinary English word.
    /// </summary>
    public static readonly string[] PatientCues = ["patient", "pt", "pts", "name"];

    /// <summary>Credentials written after a clinician's name ("Nancy Pellard, RN").</summary>
    public static readonly string[] Credentials =
    [
        "rn", "rrt", "crt", "np", "md", "lpn", "cna", "msw", "lcsw", "licsw", "pharmd", "rph", "cnm", "crna", "aprn", "fnp", "dpt",
        "phd", "facc", "facs", "bsn", "msn", "ldn",
    ];

    /// <summary>Words after which a name (relative, proxy, clinician) is expected.</summary>
    public static readonly string[] RelationWords =
    [
        "wife", "husband", "son", "daughter", "sons", "daughters", "brother", "sister", "mother", "father", "mom", "dad", "niece",
        "nephew", "aunt", "uncle", "cousin", "grandson", "granddaughter", "grandaughter", "grandmother", "grandfather", "friend",
        "neighbor", "neighbour", "boyfriend", "girlfriend", "fiance", "fiancee", "spouse", "proxy", "hcp", "guardian", "sibling",
        "stepson", "stepdaughter", "named", "dtr", "sis", "bro", "sil", "dil", "social",
    ];

    /// <summary>
    /// Words after which a capitalized surname that is also an English word is a name, mid-sentence in mixed-case text ("seen by
    /// Smith", "discussed with Young", "paged Hill"). Not "to": "advance to House diet", "dressing to Left leg".
    /// </summary>
    public static readonly string[] WeakNameCues = ["with", "by", "per", "notified", "paged", "called"];

    /// <summary>Words after which a place is expected.</summary>
    public static readonly string[] PlaceCues =
    [
        "from", "to", "at", "in", "via", "lives", "resides", "resident", "home", "transfer", "transferred", "transfered", "trans",
        "admitted", "adm", "readmitted", "osh", "hosp", "hospital", "rehab", "returned", "return", "sent", "d/c'd", "discharged",
        "dc'd", "near", "visiting", "moved", "born", "@", "of", "by",
    ];

    /// <summary>Words that end an institution's name: the words before them are PHI (a place).</summary>
    public static readonly string[] InstitutionWords =
    [
        "hospital", "hosp", "hospitals", "clinic", "rehab", "rehabilitation", "memorial", "infirmary", "healthcare", "sinai",
        "regional", "center", "centre", "hospice", "manor", "house", "adventist",
    ];

    /// <summary>
    /// States, countries, languages and nationalities: Safe Harbor keeps a state, and a language or a country names no one,
    /// yet name lists hold many of them ("English", "Georgia").
    /// </summary>
    public static readonly string[] NotPhiPlaces =
    [
        "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida", "georgia",
        "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts",
        "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "ohio", "oklahoma", "oregon",
        "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia", "washington", "wisconsin", "wyoming", "america",
        "usa", "europe", "asia", "africa", "canada", "mexico", "england", "ireland", "italy", "france", "germany", "russia",
        "china", "japan", "korea", "india", "israel", "greece", "poland", "iran", "english", "spanish", "russian", "italian",
        "french", "german", "greek", "polish", "portuguese", "chinese", "japanese", "korean", "vietnamese", "iranian", "persian",
        "haitian", "creole", "hispanic", "latino", "caucasian", "african", "american", "asian", "european", "jewish", "catholic",
        "christian", "baptist", "muslim", "hindu", "arabic", "hebrew", "yiddish", "cantonese", "mandarin", "tagalog", "farsi",
    ];

    /// <summary>
    /// Institutions notes name by their own words, most of them ordinary words ("Holy Cross", "Sacred Heart"): each phrase is
    /// a place wherever it stands.
    /// </summary>
    public static readonly string[] InstitutionPhrases =
    [
        "holy cross", "sacred heart", "good samaritan", "franklin square", "johns hopkins", "union memorial", "greater baltimore",
        "shock trauma", "beth israel", "mass general", "mayo clinic", "cleveland clinic", "st agnes", "saint agnes", "st joseph",
        "saint joseph", "st joseph's", "st mary's", "saint mary's", "st luke's", "st elizabeth's", "north campus", "south campus",
        "east campus", "west campus", "eastern shore", "mercy medical", "children's national", "kennedy krieger", "bel air",
    ];

    /// <summary>Ordinary words that, after "to", "at" or "from", are a hospital ("went to Harbor", "transferred from Union").</summary>
    public static readonly string[] InstitutionWordsAfterPlaceCue = ["harbor", "union", "mercy", "memorial", "bayview", "sinai", "general", "hopkins"];

    /// <summary>Words in the name list that are never names in a clinical note (stop words, units, shorthand).</summary>
    public static readonly HashSet<string> NeverNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "and", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "is", "was", "be", "are", "it", "an", "or",
        "no", "not", "yes", "he", "she", "his", "her", "him", "has", "had", "have", "but", "if", "so", "up", "out", "off", "per",
        "am", "pm", "pt", "md", "rn", "am.", "x", "s/p", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "today", "tonight", "tomorrow",
    };

    /// <summary>Given names that are far more often a word after "son", "wife" ... ("son will call", "daughter may visit").</summary>
    public static readonly HashSet<string> NotGivenNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "will", "may", "can", "said", "major", "young", "love", "page", "case", "chase", "else", "also", "ever", "west", "north",
    };

    /// <summary>Vocabulary entries that are given names or surnames far more often than words in a clinical note.</summary>
    public static readonly HashSet<string> CommonNamesNotWords = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Words that describe an institution without naming it ("the outside hospital", "a local rehab").</summary>
    public static readonly string[] GenericModifiers =
    [
        "a", "this", "that", "these", "those", "their", "our", "your", "my", "its", "outside", "other", "another", "same", "local",
        "nearest", "nearby", "previous", "prior", "new", "old", "current", "different", "another", "area", "any", "nursing",
        "acute", "chronic", "long", "term", "short", "private", "state", "city", "va", "teaching", "children's", "adult",
        "psychiatric", "psych", "rehab", "general", "medical", "hospital", "home", "center", "clinic", "community", "regional",
    ];

    /// <summary>Places beyond the city list that US notes name often.</summary>
    public static readonly string[] ExtraPlaces = [];
}
