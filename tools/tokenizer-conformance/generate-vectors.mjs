#!/usr/bin/env node
// Writes the conformance vectors HealthAI.Tokenizer.Tests requires to match 100%: one JSON object per line,
//   {"text", "ids", "idsTextOnly", "ids128"?}
// ids: the standard bert-base-uncased tokenizer (special tokens typed in the text are honoured, as HuggingFace does);
// idsTextOnly: the same tokenizer without added tokens ("[SEP]" in a note is ordinary text, the service's choice);
// ids128: truncated to 128 counting [CLS]/[SEP]. (Overflowing windows are not compared: this binding returns a single overflow
// window that stops at token 64 whatever the length, so it is no sliding window; the tests check HealthAI's windows by invariants.)
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

const lines = [];
for (const text of buildCases()) {
  const ids = (await standard.encode(text)).getIds();
  const idsTextOnly = (await textOnly.encode(text)).getIds();
  const vector = { text, ids, idsTextOnly };
  if (idsTextOnly.length > 128) vector.ids128 = (await truncating.encode(text)).getIds();
  lines.push(JSON.stringify(vector));
}
const target = join(repoRoot, 'tests/HealthAI.Tokenizer.Tests/TestData/wordpiece-vectors.jsonl');
writeFileSync(target, lines.join('\n') + '\n');
console.log(`wrote ${lines.length} vectors to ${target}`);
