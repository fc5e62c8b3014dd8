/**
 * Tries one mixture recipe by hand: `tsx bench/quality/try.ts ring|grid steps seeds '<recipe JSON>'
 * [first seed]` (the JSON is merged over the best recipe; seeds count up from the first, 1 by
 * default) and prints each seed's scores and the means.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import { installTrainingKernels } from '../../src/kernels/install';
import {
  mixtureByName,
  runMixture,
  type MixtureRecipe,
  type MixtureRunResult,
} from './mixture-run';
import { MIXTURE_RECIPES, parseRecipe } from './recipes';

async function main(): Promise<void> {
  const [data, steps, seeds, json = '{}', firstSeed = '1'] = process.argv.slice(2);
  const counts = [steps, seeds, firstSeed].map(Number);
  if ((data !== 'ring' && data !== 'grid') || !counts.every((n) => Number.isInteger(n) && n > 0)) {
    throw new RangeError(
      "usage: tsx bench/quality/try.ts ring|grid <steps> <seeds> ['<recipe JSON>'] [first seed]; " +
        `got ${JSON.stringify(process.argv.slice(2))}.`,
    );
  }
  const first = Number(firstSeed);
  await tf.setBackend('wasm');
  await tf.ready();
  installTrainingKernels();
  const given = parseRecipe('try.ts', json) as Partial<MixtureRecipe>;
  const base = MIXTURE_RECIPES[data].best;
  const recipe = { ...base, ...given, model: { ...base.model, ...given.model } };
  const rows: MixtureRunResult[] = [];
  for (let seed = first; seed < first + Number(seeds); seed++) {
    const r = await runMixture(mixtureByName(data), recipe, Number(steps), seed);
    rows.push(r);
    process.stdout.write(
      `  seed ${seed}: modes ${r.modesCovered} hq ${(100 * r.highQualityFraction).toFixed(1)} ` +
        `kl ${r.reverseKL.toFixed(3)} ${r.seconds.toFixed(0)}s\n`,
    );
  }
  const mean = (f: (r: (typeof rows)[0]) => number) =>
    rows.reduce((a, r) => a + f(r), 0) / rows.length;
  process.stdout.write(
    `${data} ${steps} ${json}: modes ${mean((r) => r.modesCovered).toFixed(2)} ` +
      `hq ${(100 * mean((r) => r.highQualityFraction)).toFixed(1)} ` +
      `kl ${mean((r) => r.reverseKL).toFixed(3)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
