/**
 * Walks the latent space of an MNIST generator from one sample to another and writes the
 * path as PNG strips: along the sphere (slerp) and along a straight line (lerp), to compare.
 *
 *   npx tsx examples/latent-interpolation.ts                    # see --help
 *   npx tsx examples/latent-interpolation.ts --generator out/mnist-dcgan/generator
 *
 * Uses the generator saved by the MNIST example when it exists; otherwise trains a tiny
 * DCGAN on MNIST for --steps steps first (blurry digits, but the walk is still visible).
 * Output folder: slerp.png, lerp.png, and both.png (slerp above, lerp below).
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DCGAN, ImageBatches, interpolationPath, normalLatent, Trainer } from 'tfjs-gan';
import { fileSystem, writeImageGrid, writeLossPlot } from 'tfjs-gan/node';

import { readMnistTrainingImages, useBackend } from './shared';

const HELP = `Write slerp and lerp latent walks of an MNIST generator as PNG strips.

Usage: npx tsx examples/latent-interpolation.ts [options]

  --generator DIR   a saved generator (model.json), trained here if missing
                    [out/mnist-dcgan/generator]
  --out DIR         output folder                          [out/latent-interpolation]
  --steps N         training steps when no saved generator is found              [40]
  --points N        points on each path, both ends included                      [10]
  --seed N          seed of the two end latents (and of the training)             [7]
  --help            show this text
`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      generator: { type: 'string', default: 'out/mnist-dcgan/generator' },
      out: { type: 'string', default: 'out/latent-interpolation' },
      steps: { type: 'string', default: '40' },
      points: { type: 'string', default: '10' },
      seed: { type: 'string', default: '7' },
      help: { type: 'boolean', default: false },
    },
  });
  const int = (name: 'steps' | 'points' | 'seed', min: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) {
      throw new RangeError(`--${name} must be an integer >= ${min}, got '${values[name]}'.`);
    }
    return n;
  };
  return {
    help: values.help as boolean,
    generator: values.generator as string,
    out: values.out as string,
    steps: int('steps', 1),
    points: int('points', 2),
    seed: int('seed', 0),
  };
}

/** Trains a small DCGAN on MNIST for a few steps and returns its generator. */
async function trainTinyGenerator(
  steps: number,
  seed: number,
  out: string,
): Promise<tf.LayersModel> {
  const mnist = await readMnistTrainingImages();
  const batches = ImageBatches.fromIdx(mnist, { batchSize: 32, seed });
  const gan = new DCGAN({ imageShape: [28, 28, 1], baseFilters: 8, seed });
  const trainer = new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed });
  const losses = { discriminator: [] as number[], generator: [] as number[] };
  await trainer.fit(batches, {
    steps,
    onStepEnd: (r) => {
      losses.discriminator.push(r.discriminatorLoss);
      losses.generator.push(r.generatorLoss);
      if (r.step % 10 === 0) process.stderr.write(`  step ${r.step}/${steps}\n`);
    },
  });
  await writeLossPlot(join(out, 'losses.svg'), losses, { title: 'Tiny DCGAN on MNIST' });
  trainer.dispose();
  return gan.generator;
}

async function loadOrTrain(
  dir: string,
  steps: number,
  seed: number,
  out: string,
): Promise<tf.LayersModel> {
  try {
    await access(join(dir, 'model.json'));
  } catch {
    process.stderr.write(`No generator at ${dir}; training a tiny DCGAN for ${steps} steps.\n`);
    return trainTinyGenerator(steps, seed, out);
  }
  process.stderr.write(`Loading the generator from ${dir}.\n`);
  return tf.loadLayersModel(fileSystem(dir));
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (options.help) {
    process.stdout.write(HELP);
    return;
  }
  await useBackend('wasm');
  const generator = await loadOrTrain(options.generator, options.steps, options.seed, options.out);
  const latentDim = generator.inputs[0].shape[1] as number;

  const [slerpImages, lerpImages] = tf.tidy(() => {
    const [a, b] = tf.unstack(normalLatent(2, latentDim, options.seed)) as tf.Tensor1D[];
    return (['slerp', 'lerp'] as const).map((method) => {
      const path = interpolationPath(a, b, options.points, { method }); // [points, latentDim]
      return generator.predict(path) as tf.Tensor4D; // [points, 28, 28, 1] in [-1, 1]
    });
  });
  const grid = { columns: options.points, padding: 2, scale: 3 };
  await writeImageGrid(join(options.out, 'slerp.png'), slerpImages, grid);
  await writeImageGrid(join(options.out, 'lerp.png'), lerpImages, grid);
  const both = tf.concat([slerpImages, lerpImages]);
  await writeImageGrid(join(options.out, 'both.png'), both, grid);
  process.stderr.write(`Wrote slerp.png, lerp.png and both.png to ${options.out}\n`);
  tf.dispose([slerpImages, lerpImages, both]);
  generator.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
