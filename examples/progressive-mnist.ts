/**
 * Grows a GAN progressively (ProGAN) on the real MNIST training images, padded to 32×32: 4×4,
 * then 8×8, 16×16 and 32×32, each new block faded in, and writes a sample grid at the end of
 * every stage and the loss curves.
 *
 *   npm run example:progressive                     # defaults: wasm backend, see --help
 *   npm run example:progressive -- --schedule 50,20+30,20+30 --out out/pg-quick   # to 16×16
 *
 * Output folder: stage-<resolution>.png (the same 64 latents at every stage), losses.csv,
 * losses.svg.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ImageBatches, ProgressiveGAN, ProgressiveTrainer, type ProgressiveStage } from 'tfjs-gan';
import { ProgressBar, writeImageGrid } from 'tfjs-gan/node';

import { LossLog, readMnistTrainingImages, startExample } from './shared';

const HELP = `Grow a GAN progressively on MNIST padded to 32×32.

Usage: npm run example:progressive -- [options]

  --schedule LIST    steps per stage, 4×4 first: the 4×4 stage's steps, then
                     fade+stable for 8×8, 16×16, 32×32 (fewer entries stop earlier)
                                                            [400,200+200,200+200,100+100]
  --batch-size N     real images per step                                       [32]
  --base-filters N   filters at 32×32; each stage below doubles them            [8]
  --max-filters N    the most filters any stage has                             [32]
  --latent-dim N     length of z                                                [64]
  --backend NAME     wasm or cpu (tensorflow if @tensorflow/tfjs-node is installed) [wasm]
  --out DIR          output folder                                   [out/progressive-mnist]
  --seed N           seed of the weights, the latents and the shuffling         [42]
  --help             show this text
`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      schedule: { type: 'string', default: '400,200+200,200+200,100+100' },
      'batch-size': { type: 'string', default: '32' },
      'base-filters': { type: 'string', default: '8' },
      'max-filters': { type: 'string', default: '32' },
      'latent-dim': { type: 'string', default: '64' },
      backend: { type: 'string', default: 'wasm' },
      out: { type: 'string', default: 'out/progressive-mnist' },
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
  return {
    help: values.help as boolean,
    schedule: parseSchedule(values.schedule as string),
    batchSize: int('batch-size'),
    baseFilters: int('base-filters'),
    maxFilters: int('max-filters'),
    latentDim: int('latent-dim'),
    backend: values.backend as string,
    out: values.out as string,
    seed: int('seed', 0),
  };
}

/** `'400,200+200'` → `[{ stableSteps: 400 }, { fadeSteps: 200, stableSteps: 200 }]`. */
function parseSchedule(text: string): ProgressiveStage[] {
  return text.split(',').map((entry) => {
    const parts = entry.split('+').map(Number);
    if (parts.length > 2 || !parts.every((n) => Number.isInteger(n) && n >= 0)) {
      throw new RangeError(
        `--schedule entries must be N (stable steps) or F+S (fade and stable steps), got '${entry}'.`,
      );
    }
    return parts.length === 1
      ? { stableSteps: parts[0] }
      : { fadeSteps: parts[0], stableSteps: parts[1] };
  });
}

/** MNIST's 28×28 digits padded with background (-1) to 32×32, one epoch per call. */
function paddedBatches(batches: ImageBatches) {
  return function* () {
    for (const batch of batches) {
      // [batch, 28, 28, 1] -> [batch, 32, 32, 1]
      yield tf.tidy(() =>
        tf.pad(
          batch,
          [
            [0, 0],
            [2, 2],
            [2, 2],
            [0, 0],
          ],
          -1,
        ),
      );
      batch.dispose();
    }
  };
}

async function main(): Promise<void> {
  const options = await startExample(parseOptions, HELP);
  if (!options) return;
  const mnist = await readMnistTrainingImages();
  const batches = ImageBatches.fromIdx(mnist, { batchSize: options.batchSize, seed: options.seed });

  const gan = new ProgressiveGAN({
    imageShape: [32, 32, 1],
    latentDim: options.latentDim,
    baseFilters: options.baseFilters,
    maxFilters: options.maxFilters,
    seed: options.seed,
  });
  const trainer = new ProgressiveTrainer({
    gan,
    schedule: options.schedule,
    seed: options.seed,
  });
  const fixedLatentSeed = options.seed + 1; // the same 64 latents in every grid

  process.stderr.write(
    `Growing a GAN on ${mnist.shape[0]} MNIST images padded to 32×32 (filters ` +
      `${gan.filters.join(', ')} at 4, 8, 16, 32), backend ${tf.getBackend()}, ` +
      `${trainer.totalSteps} steps of ${options.batchSize}; writing to ${options.out}\n`,
  );
  const progress = new ProgressBar({ total: trainer.totalSteps });
  const log = new LossLog(
    ['step', 'stage', 'resolution', 'alpha', 'discriminator_loss', 'generator_loss', 'seconds'],
    ['discriminator', 'generator'],
  );
  const started = performance.now();
  await trainer.fit(paddedBatches(batches), {
    onStepEnd: (r) => {
      const row = [r.step, r.stage, r.resolution, r.alpha, r.discriminatorLoss, r.generatorLoss];
      log.add([...row, r.seconds], {
        discriminator: r.discriminatorLoss,
        generator: r.generatorLoss,
      });
      progress.update(r.step, {
        resolution: r.resolution,
        alpha: r.alpha,
        'D loss': r.discriminatorLoss,
        'G loss': r.generatorLoss,
      });
    },
    onStageEnd: async ({ resolution }) => {
      // Every grid the same size on screen: samples blown up to 32×32 (nearest), then 2×.
      const samples = tf.tidy(() =>
        tf.image.resizeNearestNeighbor(
          trainer.sample(64, fixedLatentSeed) as tf.Tensor4D,
          [32, 32],
        ),
      );
      await writeImageGrid(join(options.out, `stage-${resolution}.png`), samples, {
        columns: 8,
        padding: 2,
        scale: 2,
      });
      samples.dispose();
    },
  });
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  await log.write(options.out, 'Progressive GAN on MNIST (4×4 → 32×32)');
  process.stderr.write(
    `Done: ${trainer.totalSteps} steps in ${seconds.toFixed(1)} s. Grids: ` +
      `${join(options.out, 'stage-<resolution>.png')}\n`,
  );
  trainer.dispose();
  gan.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
