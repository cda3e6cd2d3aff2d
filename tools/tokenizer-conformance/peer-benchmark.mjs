#!/usr/bin/env node
// The reference peer for HealthAI.Benchmarks/Tokenizer: HuggingFace tokenizers (Rust, via its official Node binding) encoding the
// same corpus file with encodeBatch. Run with RAYON_NUM_THREADS=1 for the single-thread figure. Prints one JSON line:
//   {"peer":"tokenizers@0.23.2","threads":"1","texts":N,"tokens":T,"seconds":S,"tokensPerSecond":R}
// Usage: node peer-benchmark.mjs <corpus.txt: one text per line> [seconds=3]
import { readFileSync } from 'node:fs';
import { loadTokenizer, readVocab } from './tokenizer-json.mjs';

const [corpusPath, secondsArg] = process.argv.slice(2);
const texts = readFileSync(corpusPath, 'utf8').split('\n').filter((l) => l.length > 0);
const tokenizer = loadTokenizer(readVocab(), { withAddedTokens: false });
const seconds = Number(secondsArg ?? 3);

async function pass() {
  const encodings = await tokenizer.encodeBatch(texts);
  let tokens = 0;
  for (const e of encodings) tokens += e.getLength();
  return tokens;
}

await pass(); // warm-up
let tokens = 0;
const start = process.hrtime.bigint();
let elapsed = 0;
do {
  tokens += await pass();
  elapsed = Number(process.hrtime.bigint() - start) / 1e9;
} while (elapsed < seconds);
console.log(JSON.stringify({
  peer: 'tokenizers@0.23.2', threads: process.env.RAYON_NUM_THREADS ?? 'all', texts: texts.length, tokens, seconds: elapsed,
  tokensPerSecond: tokens / elapsed,
}));
