// The texts the conformance vectors cover. Hand-written corner cases first, then seeded synthetic clinical text.

// Small deterministic PRNG (mulberry32) so the vectors are reproducible.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cp = (...codes) => String.fromCodePoint(...codes);

const controls = [
  'a\u0000b', 'a\u0001b\u0002c', 'x\u0007y', 'tab\there', 'line\nbreak', 'carriage\rreturn', 'crlf\r\nend', 'vt\u000Bff\u000Cend',
  'nel\u0085end', 'del\u007Fend', 'c1\u0080\u009Fend', 'zw\u200Bsp', 'zwj\u200Dzwnj\u200C', 'bom\uFEFFstart', '\uFEFFleading bom',
  'soft\u00ADhyphen', 'mongolian\u180Evowel', 'lrm\u200Ertl\u200F', 'embed\u202Aok\u202C', 'private\uE000use\uF8FF',
  `plane15${cp(0xF0000)}private${cp(0x10FFFD)}`, 'replacement\uFFFDchar', 'word joiner\u2060x', 'interlinear\uFFF9a\uFFFBb',
  `tag${cp(0xE0001)}${cp(0xE0041)}chars`, 'shy-\u00AD-dash', 'arabic letter mark\u061Cx', 'unassigned \u0378 \u0379 x',
  `unassigned astral ${cp(0x2FFFF)} ${cp(0xE0080)}`, 'noncharacter \uFFFE \uFFFF x',
];

const whitespaceKinds = [
  0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
  0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0x180E, 0x200B, 0xFEFF,
].map((c) => `left${cp(c)}right ${cp(c)}${cp(c)}double`);

const accents = [
  'Héllo Wörld', 'café naïve résumé', 'ÀÁÂÃÄÅ àáâãäå', 'Ñandú piñata', 'Ærøskøbing œuvre', 'Straße', 'Łódź Ångström',
  'e\u0301 combining acute', 'a\u0308\u0304 stacked', 'Ǆ ǅ ǆ digraphs', 'İstanbul ıi', 'ΟΔΟΣ Σίσυφος', 'ἄλφα ᾅ',
  'Привет Ёлка Й', 'Tiếng Việt có dấu', 'ﬁnal ﬂow ﬀ', 'ｱｲｳ half-width ｶﾞ', 'ＦＵＬＬＷＩＤＴＨ ａｂｃ １２３', 'Ⅻ roman ⅻ',
  '\u212B angstrom sign \u2126 ohm \u212A kelvin', 'Ȿ Ɐ ȿ', 'ᏸ Cherokee Ꭰ ꭰ', 'ᲀ ᲈ old Cyrillic', 'Ꞵ ꞵ Ꟊ',
  'x\u0301y\u0327z\u0328', 'é\u0301\u0301', 'ℌ ℍ ℎ', '𝐀𝐁𝐂 math bold', 'ŉ apostrophe n', 'ǰ j caron',
];

const cjk = [
  '中文测试', '日本語のテキスト', '한국어 텍스트', '漢字かなカナ混じり', '患者は頭痛を訴えた', '我头疼', '混合mixed中文text',
  `${cp(0x20000)}${cp(0x2A6DF)} ext B`, `${cp(0x2A700)}${cp(0x2B73F)} ext C`, `${cp(0x2B740)}${cp(0x2B81F)} ext D`,
  `${cp(0x2B820)}${cp(0x2B920)}${cp(0x2CEAF)}${cp(0x2CEB0)} ext E F`, `${cp(0x30000)} ext G`, '\uF900\uFAFF compat',
  `${cp(0x2F800)}${cp(0x2FA1F)} compat supplement`, '\u3400\u4DBF ext A', '\u9FFF\u9FD5\u9FEA\u4E00', 'ㄅㄆㄇ bopomofo',
  '\u3007\u3006 ideographic', '｡｢｣､ halfwidth punct', '「引用」、句読点。', '\u2E80\u2F00 radicals', '가각갂 힣 각',
];

const emoji = [
  '😀 smile', 'pain 😣😖 scale', '👍🏽 thumbs', '👨‍👩‍👧 family', '🇺🇸 flag', '❤️ heart', '1️⃣ keycap', '🩺 stethoscope 💊 pill 🏥',
  '🧑‍⚕️ health worker', '☺ ☹ ✔ ✘', '🫀 anatomical heart 🫁 lungs', 'emoji🙂glued', '🏳️‍🌈', '©®™ signs',
];

const unicodeVersionCorners = [
  'x\u2E42y', 'x\u2E43y', 'x\u2E44y\u2E49z', 'x\u2E4Fy\u2E52z\u2E5Dw', 'a\u1AB0b', 'a\u1AB5b\u1ABEc', 'a\u1DF6b\u1DF9c\u1DFBd',
  `a${cp(0x1BCA0)}b${cp(0x1BCA3)}c`, 'a\u08E2b', 'a\u08D3b\u08FFc', 'a\u0D00b\u0D3Bc', 'x\u061Dy', 'x\uA8FCy', 'x\u1CD3y',
  `x${cp(0x11A3F)}y${cp(0x16FE2)}z`, `x${cp(0x1E95E)}y${cp(0x1E95F)}z`, `x${cp(0x10F55)}y`, 'x\u2E50y\u2E51z',
  'a\u0C00b\u0C04c', 'x\u1B7Dy\u1B7Ez', `x${cp(0x1F8B0)}y${cp(0x1FAE8)}z`, 'x\u20C0y \u20BF bitcoin', `x${cp(0x13430)}y${cp(0x13438)}z`,
  '\u0560\u0588 armenian', '\u10FD\u1C90 georgian', '\u0870\u0888 arabic ext', '\u32FF reiwa', 'x\u2B97y\u2BFFz',
];

const punctuationAndSymbols = [
  'hello, world!', "don't stop", 'a-b_c.d', '$100 + <tag> = ^ ` | ~', 'x\\y/z', '((nested))', '...', '?!?!', '#hash @at %pct &amp *star',
  '38.2°C fever', '€5 £3 ¥2 ₹1', '± × ÷ → ← ≤ ≥ ≠', 'µg µL μg', 'x² y³ ½ ¼', '§ ¶ † ‡ • ‣ ※', '“quoted” ‘single’ «guillemets» „low“',
  '—em dash– en dash ‐ hyphen ‒ figure', '¿qué? ¡sí!', '·middle·dot', '‰ ‱ ′ ″', '«»‹›', '〈〉《》【】', '℃ ℉ № ℮', '⁂ ⁎ ⁑',
];

const clinical = [
  'Take 1 tab p.o. b.i.d. x 7d', '5mg/kg IV q6h PRN', 'O2-sat 94% on RA', 'BP 120/80 mmHg, HR 72 bpm', 'T 38.2°C, RR 18',
  'Hx of CHF, COPD, DM2, HTN; s/p CABG x3 (2019)', 'pt c/o SOB & CP, r/o MI', 'WBC 12.3 x10^9/L, Hgb 9.8 g/dL, Plt 450k',
  'Na+ 134 mEq/L, K+ 5.6 mmol/L', 'ECG: NSR, no ST-elevation', 'Rx: amoxicillin-clavulanate 875/125 mg', 'INR 2.5 (goal 2-3)',
  'HbA1c 7.8%', 'eGFR <30 mL/min/1.73m²', 'NPO after MN', 'q.d. q.i.d. t.i.d. q.h.s. a.c. p.c.', 'DNR/DNI', 'SpO₂ 88%→95%',
  'Pt. is a 67 y/o M w/ PMHx sig. for AFib on apixaban', 'Dx: UTI (ICD-10 N39.0)', 'CT abd/pelvis w/ contrast: neg.',
  'MRN 12345678 DOB 01/02/1950', 'f/u in 2-4 wks w/ PCP', 'allergies: PCN (rash), sulfa', 'GCS 15, A&Ox3', 'BMI 31.4 kg/m2',
  'troponin-I <0.01 ng/mL', '1/2 NS @ 75cc/hr', '[SEP] typed in a note', 'note with [CLS] and [MASK] and [PAD] and [UNK]',
  '[sep] lower case is text', 'x[SEP]y', '[SEP][SEP]', '[ SEP ]', '[SEP', 'SEP]', '[[SEP]]', 'hello [SEP] world',
];

const emptyish = ['', ' ', '   ', '\t\n\r', '\u00A0\u3000', '\u200B', '\u0000', '.', 'a', 'A', '[', ']', '#', '##', '##a', 'a##b'];

function longWords() {
  const words = [];
  for (const n of [99, 100, 101, 150, 300]) {
    words.push('a'.repeat(n));
    words.push(`x ${'ab'.repeat(Math.ceil(n / 2)).slice(0, n)} y`);
  }
  words.push('é'.repeat(100), 'é'.repeat(101), 'e\u0301'.repeat(100), 'e\u0301'.repeat(101)); // counted after normalization
  words.push('😀'.repeat(100), '😀'.repeat(101), 'Pneumonoultramicroscopicsilicovolcanoconiosis', 'x'.repeat(99) + '!' + 'y'.repeat(120));
  words.push('antidisestablishmentarianism supercalifragilisticexpialidocious', 'zzzzqqqqxxxx unknownwordpieces');
  return words;
}

const vocabulary = {
  subjects: ['The patient', 'Pt', 'She', 'He', 'The 54-year-old woman', 'A 72 y/o male', 'The child', 'Mother', 'The resident'],
  verbs: ['reports', 'denies', 'presents with', 'complains of', 'was admitted for', 'is being treated for', 'tolerated', 'developed'],
  findings: ['chest pain', 'shortness of breath', 'nausea and vomiting', 'a productive cough', 'bilateral leg edema', 'fever of 38.9°C',
    'hypertension', 'type 2 diabetes mellitus', 'acute kidney injury', 'an elevated troponin', 'syncope', 'diffuse abdominal tenderness',
    'a urinary tract infection', 'atrial fibrillation with RVR', 'community-acquired pneumonia', 'a COPD exacerbation', 'hypokalemia'],
  plans: ['Start metoprolol 25 mg PO BID.', 'Continue IV ceftriaxone 1 g q24h.', 'Check BMP in AM.', 'Consult cardiology.',
    'Follow up with PCP in 1-2 weeks.', 'Titrate O2 to SpO2 > 92%.', 'Hold lisinopril; monitor Cr.', 'Obtain CXR and ECG.',
    'NPO after midnight for EGD.', 'Discharge home with home health.', 'Pain controlled with acetaminophen 650 mg q6h PRN.'],
  modifiers: ['mild', 'moderate', 'severe', 'worsening', 'improving', 'intermittent', 'chronic', 'acute-on-chronic', 'new-onset'],
  times: ['since yesterday', 'for 3 days', 'x2 weeks', 'overnight', 'on 03/14', 'after dinner', 'this morning', 'since discharge'],
  extras: ['Vitals: BP 142/88, HR 104, T 37.9 °C.', 'Labs notable for Na 131, K 3.1, Cr 1.8 (baseline 1.1).', 'Feels "much better" today!',
    'Family at bedside; questions answered.', 'Denies SI/HI.', 'ROS otherwise negative.', 'Café-au-lait spots noted.', 'Señora Núñez’s daughter translated.'],
};

function sentence(next) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  const parts = [`${pick(vocabulary.subjects)} ${pick(vocabulary.verbs)} ${pick(vocabulary.modifiers)} ${pick(vocabulary.findings)} ${pick(vocabulary.times)}.`];
  const extra = Math.floor(next() * 6);
  for (let i = 0; i < extra; i++) parts.push(next() < 0.5 ? pick(vocabulary.plans) : pick(vocabulary.extras));
  return parts.join(' ');
}

export function buildCases() {
  const next = rng(20261121);
  const cases = [...controls, ...whitespaceKinds, ...accents, ...cjk, ...emoji, ...unicodeVersionCorners, ...punctuationAndSymbols,
    ...clinical, ...emptyish, ...longWords()];
  for (let i = 0; i < 400; i++) cases.push(sentence(next));
  // Long notes: a few hundred to a few thousand tokens, for truncation and sliding windows.
  for (const count of [30, 80, 200]) {
    const note = [];
    for (let i = 0; i < count; i++) note.push(sentence(next));
    cases.push(note.map((s, i) => (i % 7 === 6 ? `${s}\n\n` : `${s} `)).join('').trimEnd());
  }
  // Random mixtures of everything above, with random code points from every plane thrown in.
  const pool = [...controls, ...accents, ...cjk, ...emoji, ...unicodeVersionCorners, ...punctuationAndSymbols, ...clinical];
  for (let i = 0; i < 120; i++) {
    let text = '';
    const pieces = 1 + Math.floor(next() * 5);
    for (let j = 0; j < pieces; j++) {
      text += pool[Math.floor(next() * pool.length)];
      if (next() < 0.5) {
        let c = Math.floor(next() * 0x110000);
        if (c >= 0xD800 && c <= 0xDFFF) c = 0x41;
        text += cp(c);
      }
      text += next() < 0.7 ? ' ' : '';
    }
    cases.push(text);
  }
  return cases;
}
