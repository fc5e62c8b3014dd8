/**
 * Tries one MNIST DCGAN recipe by hand and follows it as it trains:
 * `tsx bench/quality/mnist-try.ts steps every '<recipe JSON>' [samples] [checkpoint dir]`. Every
 * `every` steps it scores `samples` draws (default 2,000) with the committed classifier and
 * prints the classifier score as a share of the same number of real test digits' score, and the
 * smallest and largest class shares: the way to find how long a recipe needs before running the
 * full bench. With a checkpoint folder it saves the trainer there at each score and, when the
 * folder already holds a checkpoint, resumes from it (the data order starts afresh), so a long
 * run can be continued and its networks examined afterwards (`mnist-sampling.ts`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import { checkpointDirectory } from '../../src/node/checkpoint-dir';
import { installTrainingKernels } from '../../src/kernels/install';
import { classHistogram, classifierScore } from '../../src/metrics/classifier-score';
import { loadClassifier, mnistImages, mnistTraining, type MnistRecipe } from './mnist-run';
import { MNIST_RECIPES, parseRecipe } from './recipes';

async function score(
  classifier: Awaited<ReturnType<typeof loadClassifier>>,
  images: tf.Tensor4D,
): Promise<{ score: number; min: number; max: number; shares: number[] }> {
  const { features, probabilities } = classifier.predict(images);
  const shares = await classHistogram(probabilities);
  const result = {
    score: await classifierScore(probabilities),
    min: Math.min(...shares),
    max: Math.max(...shares),
    shares,
  };
  tf.dispose([features, probabilities]);
  return result;
}

async function main(): Promise<void> {
  const [stepsArg, everyArg, json, samplesArg, folder] = process.argv.slice(2);
  const steps = Number(stepsArg);
  const every = Number(everyArg);
  const samples = Number(samplesArg ?? 2000);
  if (![steps, every, samples].every((n) => Number.isInteger(n) && n > 0)) {
    throw new RangeError(
      "usage: tsx bench/quality/mnist-try.ts <steps> <every> ['<recipe JSON>'] [samples] " +
        `[checkpoint dir]; ` +
        `got ${JSON.stringify(process.argv.slice(2))}.`,
    );
  }
  await tf.setBackend('wasm');
  await tf.ready();
  installTrainingKernels();
  const recipe: MnistRecipe = { ...MNIST_RECIPES.best, ...parseRecipe('mnist-try.ts', json) };
  const classifier = await loadClassifier();
  const test = await mnistImages('t10k-images-idx3-ubyte', samples);
  const real = await score(classifier, test);
  test.dispose();
  process.stdout.write(
    `real ${samples}: score ${real.score.toFixed(3)}; ${JSON.stringify(recipe)}\n`,
  );
  const seed = 42;
  const { batches, trainer, sample, dispose } = await mnistTraining(recipe, seed);
  const store = folder === undefined ? undefined : checkpointDirectory(folder);
  const saved = folder !== undefined && existsSync(join(folder, 'latest.json'));
  const first = store && saved ? (await trainer.loadCheckpoint(store)) + 1 : 1;
  if (first > 1) process.stdout.write(`resumed at step ${first - 1} from ${folder}\n`);
  const started = performance.now();
  for (let step = first; step <= steps; step++) {
    const batch = batches.nextBatch();
    await trainer.step(batch.real, batch.labels);
    tf.dispose(batch.labels ? [batch.real, batch.labels] : [batch.real]);
    if (step % every === 0 || step === steps) {
      const fake = sample(samples, 7);
      const s = await score(classifier, fake);
      fake.dispose();
      if (store) await trainer.saveCheckpoint(store);
      process.stdout.write(
        `step ${step} (${((performance.now() - started) / 1000).toFixed(0)} s): score ` +
          `${s.score.toFixed(3)} = ${((100 * s.score) / real.score).toFixed(1)}% of real, ` +
          `classes ${(100 * s.min).toFixed(1)}–${(100 * s.max).toFixed(1)}% ` +
          `(digits 0–9: ${s.shares.map((share) => (100 * share).toFixed(1)).join(' ')})\n`,
      );
    }
  }
  dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
