#!/usr/bin/env node
// Writes the conformance vectors HealthAI.Tokenizer.Tests requires to match 100%: one JSON object per line,
//   {"text", "ids", "idsTextOnly", "ids128"?, "windows64x16"?}
// ids: the standard bert-base-uncased tokenizer (special tokens typed in the text are honoured, as HuggingFace does);
// idsTextOnly: the same tokenizer without added tokens ("[SEP]" in a note is ordinary text, the service's choice);
// ids128: truncated to 128 counting [CLS]/[SEP]; windows64x16: max_length 64, stride 16, the overflowing windows in order.
// Deterministic (seeded), so regenerating gives the same file. Usage: node generate-vectors.mjs [vocab.txt]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer, readVocab, repoRoot } from './tokenizer-json.mjs';
import { buildCases } from './cases.mjs';

const vocab = readVocab(process.argv[2]);
const standard = loadTokenizer(vocab);
const textOnly = loadTokenizer(vocab, { withAddedTokens: false });
const truncating = loadTokenizer(vocab, { withAddedTokens: false });
truncating.setTruncation(128);
const windowing = loadTokenizer(vocab, { withAddedTokens: false });
windowing.setTruncation(64, { stride: 16 });

const lines = [];
for (const text of buildCases()) {
  const ids = (await standard.encode(text)).getIds();
  const idsTextOnly = (await textOnly.encode(text)).getIds();
  const vector = { text, ids, idsTextOnly };
  if (idsTextOnly.length > 128) vector.ids128 = (await truncating.encode(text)).getIds();
  if (idsTextOnly.length > 64) {
    const first = await windowing.encode(text);
    vector.windows64x16 = [first.getIds(), ...first.getOverflowing().map((e) => e.getIds())];
  }
  lines.push(JSON.stringify(vector));
}
const target = join(repoRoot, 'tests/HealthAI.Tokenizer.Tests/TestData/wordpiece-vectors.jsonl');
writeFileSync(target, lines.join('\n') + '\n');
console.log(`wrote ${lines.length} vectors to ${target}`);
