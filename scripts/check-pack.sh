#!/usr/bin/env bash
# Packs tfjs-gan, installs the tarball into a scratch project next to @tensorflow/tfjs, and
# imports it as a user would: ESM, CommonJS (require) and TypeScript (tsc --noEmit).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cd "$repo"
tarball="$(npm pack --silent --pack-destination "$scratch" | tail -n 1)"
cd "$scratch"
cat > package.json <<'JSON'
{ "name": "scratch", "private": true, "type": "module" }
JSON
tfjs_version="$(node -p "require('$repo/node_modules/@tensorflow/tfjs/package.json').version")"
ts_version="$(node -p "require('$repo/node_modules/typescript/package.json').version")"
npm install --no-audit --no-fund --silent "./$tarball" "@tensorflow/tfjs@$tfjs_version" \
  "typescript@$ts_version" "@types/node@20"

cat > esm.mjs <<'JS'
import * as tf from '@tensorflow/tfjs';
import { DCGAN, Trainer } from 'tfjs-gan';
import { readIdx, writeImageGrid } from 'tfjs-gan/node';
await tf.setBackend('cpu');
const gan = new DCGAN({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 2, seed: 1 });
const trainer = new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 1 });
const real = tf.zeros([2, 8, 8, 1]);
const result = await trainer.step(real);
if (result.step !== 1 || !Number.isFinite(result.generatorLoss)) throw new Error('ESM step failed');
if (typeof readIdx !== 'function' || typeof writeImageGrid !== 'function') throw new Error('node entry');
console.log('esm ok', result.discriminatorLoss.toFixed(4));
JS
node esm.mjs

cat > cjs.cjs <<'JS'
const tf = require('@tensorflow/tfjs');
const { DCGAN, Trainer } = require('tfjs-gan');
const { readIdx } = require('tfjs-gan/node');
tf.setBackend('cpu').then(async () => {
  const gan = new DCGAN({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 2, seed: 1 });
  const trainer = new Trainer({ generator: gan.generator, discriminator: gan.discriminator });
  const result = await trainer.step(tf.zeros([2, 8, 8, 1]));
  if (result.step !== 1 || typeof readIdx !== 'function') throw new Error('CJS step failed');
  console.log('cjs ok', result.discriminatorLoss.toFixed(4));
});
JS
node cjs.cjs

cat > main.ts <<'TS'
import * as tf from '@tensorflow/tfjs';
import { DCGAN, Trainer, type StepResult } from 'tfjs-gan';
import { readIdx } from 'tfjs-gan/node';
const gan: DCGAN = new DCGAN({ imageShape: [28, 28, 1] });
const trainer = new Trainer({ generator: gan.generator, discriminator: gan.discriminator });
const pending: Promise<StepResult> = trainer.step(tf.zeros([1, 28, 28, 1]));
void pending;
void readIdx;
TS
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext",
  "target": "ES2022", "noEmit": true, "skipLibCheck": true, "types": ["node"] },
  "files": ["main.ts"] }
JSON
npx tsc -p tsconfig.json
echo "typescript ok"
