// Builds the standard bert-base-uncased tokenizer.json (BertNormalizer + BertPreTokenizer + WordPiece + [CLS] $A [SEP]) from
// vocab.txt, so the reference peer runs exactly the configuration HealthAI.Tokenizer.WordPiece claims parity with.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const { Tokenizer, bertNormalizer, bertPreTokenizer } = require('tokenizers');

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Written by the build of HealthAI.Tokenizer.WordPiece (eng/npm-assets.mjs, sha256-verified).
export const defaultVocabPath = join(repoRoot, 'HealthAI.Tokenizer.WordPiece/obj/vocab/bert-base-uncased-vocab.txt');

const specialTokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

export function readVocab(path = defaultVocabPath) {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const vocab = {};
  lines.forEach((token, id) => { vocab[token] = id; });
  return vocab;
}

// withAddedTokens=false: the special tokens stay in the vocabulary (and [CLS]/[SEP] in the template) but are not matched in the
// raw text, which is what the HealthAI service does with notes that contain "[SEP]" (see the library README).
export function buildTokenizerJson(vocab, { withAddedTokens = true } = {}) {
  const special = (t) => ({ id: t, ids: [vocab[t]], tokens: [t] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: withAddedTokens
      ? specialTokens.map((t) => ({
        id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
      }))
      : [],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab,
    },
  };
}

export function loadTokenizer(vocab, options) {
  return Tokenizer.fromString(JSON.stringify(buildTokenizerJson(vocab, options)));
}
