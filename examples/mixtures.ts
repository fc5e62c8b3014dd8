/**
 * Trains an MLP GAN on the 8-Gaussian ring or the 25-Gaussian grid and measures mode
 * collapse: modes covered, high-quality samples and reverse KL (see docs/metrics.md).
 *
 *   npm run example:mixtures                          # the grid, the best recipe, 2000 steps
 *   (minibatch standard deviation, last 30% of the steps at Adam 1e-4)
 *   npm run example:mixtures -- --data ring --plain   # the ring with no rules of thumb
 *
 * Writes out/mixtures/<data>.png: real points in grey, generated points in white.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  gridMixture,
  mixtureQuality,
  MlpGAN,
  ringMixture,
  Trainer,
  type GaussianMixture,
} from 'tfjs-gan';
import { writeImageGrid, writeLossPlot } from 'tfjs-gan/node';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'grid' },
    steps: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    plain: { type: 'boolean', default: false },
    out: { type: 'string', default: 'out/mixtures' },
  },
});

/** Draws points as dots on a square image `[1, size, size, 1]` in [-1, 1]. */
async function scatter(layers: [tf.Tensor2D, number][], extent: number, size = 256) {
  const image = new Float32Array(size * size).fill(-1);
  for (const [points, brightness] of layers) {
    const xy = await points.data();
    for (let i = 0; i < xy.length; i += 2) {
      const col = Math.round(((xy[i] + extent) / (2 * extent)) * (size - 1));
      const row = Math.round(((extent - xy[i + 1]) / (2 * extent)) * (size - 1));
      if (row >= 0 && row < size && col >= 0 && col < size) image[row * size + col] = brightness;
    }
  }
  return tf.tensor4d(image, [1, size, size, 1]);
}

async function main(): Promise<void> {
  if (values.data !== 'ring' && values.data !== 'grid') {
    throw new RangeError(`--data must be 'ring' or 'grid', got '${values.data}'.`);
  }
  const steps = Number(values.steps);
  const seed = Number(values.seed);
  await tf.setBackend('wasm');
  await tf.ready();
  const mixture: GaussianMixture = values.data === 'ring' ? ringMixture() : gridMixture();
  const gan = new MlpGAN({
    dataShape: [2],
    latentDim: 16,
    generatorUnits: [128, 128, 128],
    discriminatorUnits: [128, 128, 128],
    minibatchStdDev: !values.plain,
    seed,
  });
  // The best recipe finishes the last 30% of the steps at a tenth of the learning rate, with
  // fresh optimisers: a second Trainer on the same models.
  const phases: [number, number][] = values.plain
    ? [[1e-3, steps]]
    : [
        [1e-3, Math.round(steps * 0.7)],
        [1e-4, steps - Math.round(steps * 0.7)],
      ];
  const data = mixture.batches(256, seed);
  const optimizers: tf.Optimizer[] = [];
  let trainer: Trainer | undefined;
  let done = 0;
  const losses = { discriminator: [] as number[], generator: [] as number[] };
  const extent = values.data === 'ring' ? 1.5 : 5.5;
  const snapshotEvery = Math.max(1, Math.round(steps / 4));
  /** A scatter of generated points (and the real ones) over the modes, as training goes. */
  const snapshot = async (from: Trainer, name: string) => {
    const fake = from.sample(2500, seed + 1) as tf.Tensor2D;
    const real = mixture.sample(2500, seed + 2);
    const picture = await scatter(
      [
        [real, 0],
        [fake, 1],
      ],
      extent,
    );
    await writeImageGrid(join(values.out as string, name), picture, { scale: 2 });
    tf.dispose([fake, real, picture]);
  };
  process.stderr.write(`Training on the ${values.data} for ${steps} steps...\n`);
  for (const [learningRate, phaseSteps] of phases) {
    const [g, d] = [tf.train.adam(learningRate, 0.5), tf.train.adam(learningRate, 0.5)];
    optimizers.push(g, d);
    trainer = new Trainer({
      generator: gan.generator,
      discriminator: gan.discriminator,
      generatorOptimizer: g,
      discriminatorOptimizer: d,
      seed: `${seed}:${learningRate}`,
    });
    const offset = done;
    await trainer.fit(data, {
      steps: phaseSteps,
      onStepEnd: async ({ step, discriminatorLoss, generatorLoss }) => {
        losses.discriminator.push(discriminatorLoss);
        losses.generator.push(generatorLoss);
        const at = offset + step;
        if (at % snapshotEvery === 0 && at < steps) {
          await snapshot(trainer!, `${values.data}-${String(at).padStart(5, '0')}.png`);
        }
        if ((offset + step) % 500 === 0) {
          const losses = `D ${discriminatorLoss.toFixed(3)} G ${generatorLoss.toFixed(3)}`;
          process.stderr.write(`step ${offset + step}: ${losses}\n`);
        }
      },
    });
    done += phaseSteps;
  }
  const fake = trainer!.sample(2500, seed + 1) as tf.Tensor2D;
  const real = mixture.sample(2500, seed + 2);
  const q = await mixtureQuality(fake, mixture);
  process.stdout.write(
    `${q.modesCovered} of ${mixture.modes} modes, ${(100 * q.highQualityFraction).toFixed(1)}% ` +
      `high quality, reverse KL ${q.reverseKL.toFixed(3)}\n`,
  );
  tf.dispose([fake, real]);
  await snapshot(trainer!, `${values.data}.png`);
  await writeLossPlot(join(values.out as string, `${values.data}-losses.svg`), losses, {
    title: `MLP GAN on the ${values.data}`,
    smoothing: 0.9,
  });
  process.stderr.write(
    `Wrote ${values.data}.png (and snapshots every ${snapshotEvery} steps) and ` +
      `${values.data}-losses.svg to ${values.out}\n`,
  );
  for (const optimizer of optimizers) optimizer.dispose();
  gan.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
