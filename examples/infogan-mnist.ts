/**
 * Trains an InfoGAN on the MNIST training images (no labels): a DCGAN whose generator takes a
 * 10-valued categorical code and two continuous codes next to its noise, and whose
 * discriminator has a Q head that reads the codes back. The mutual-information loss makes the
 * codes control properties of the digits without ever being told which.
 *
 *   npm run example:infogan                       # defaults: wasm backend, see --help
 *   npm run example:infogan -- --steps 300 --out out/infogan-short
 *
 * Output folder: categorical.png (row r: one noise; column k: categorical code k),
 * continuous-1.png and continuous-2.png (row r: categorical code r with one noise; columns:
 * the continuous code from -1 to 1, the other at 0), losses.csv, losses.svg.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DCGAN, ImageBatches, infoGanCodes, mutualInformationHead, Trainer } from 'tfjs-gan';
import { ProgressBar, writeImageGrid } from 'tfjs-gan/node';

import { LossLog, readMnistTrainingImages, startExample } from './shared';

const HELP = `Train an InfoGAN on MNIST (images only, no labels).

Usage: npm run example:infogan -- [options]

  --steps N            training steps                                                [1500]
  --batch-size N       real images per step                                          [64]
  --backend NAME       wasm or cpu (tensorflow if @tensorflow/tfjs-node is installed) [wasm]
  --out DIR            output folder                                                 [out/infogan-mnist]
  --base-filters N     DCGAN width                                                   [32]
  --info-weight W      weight λ of the mutual-information loss                       [1]
  --continuous-weight W weight of the continuous codes' part within it               [1]
  --seed N             seed of the weights, the latents and the shuffling            [42]
  --help               show this text
`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string', default: '1500' },
      'batch-size': { type: 'string', default: '64' },
      backend: { type: 'string', default: 'wasm' },
      out: { type: 'string', default: 'out/infogan-mnist' },
      'base-filters': { type: 'string', default: '32' },
      'info-weight': { type: 'string', default: '1' },
      'continuous-weight': { type: 'string', default: '1' },
      seed: { type: 'string', default: '42' },
      help: { type: 'boolean', default: false },
    },
  });
  const num = (name: keyof typeof values, integer: boolean, min: number) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
      const kind = integer ? 'an integer' : 'a number';
      throw new RangeError(`--${name} must be ${kind} >= ${min}, got '${values[name]}'.`);
    }
    return n;
  };
  return {
    help: values.help as boolean,
    steps: num('steps', true, 1),
    batchSize: num('batch-size', true, 1),
    backend: values.backend as string,
    out: values.out as string,
    baseFilters: num('base-filters', true, 1),
    infoWeight: num('info-weight', false, 0),
    continuousWeight: num('continuous-weight', false, 0),
    seed: num('seed', true, 0),
  };
}

const ROWS = 10;
const SWEEP = [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1];

async function main(): Promise<void> {
  const options = await startExample(parseOptions, HELP);
  if (!options) return;
  const mnist = await readMnistTrainingImages();
  const batches = ImageBatches.fromIdx(mnist, { batchSize: options.batchSize, seed: options.seed });

  // The paper's MNIST codes: one 10-valued categorical code, two continuous codes, 62 noise.
  const codes = infoGanCodes({ categorical: [10], continuous: 2, noiseDim: 62 });
  const gan = new DCGAN({
    imageShape: [28, 28, 1],
    baseFilters: options.baseFilters,
    infoCodes: codes,
    seed: options.seed,
  });
  const trainer = new Trainer({
    generator: gan.generator,
    discriminator: gan.discriminator,
    latentSampler: codes.sampler,
    auxiliaryHead: mutualInformationHead(codes, {
      weight: options.infoWeight,
      continuousWeight: options.continuousWeight,
    }),
    seed: options.seed,
  });

  // One noise vector per row, repeated across the columns: [ROWS·columns, noiseDim].
  const rowNoise = tf.randomNormal([ROWS, codes.noiseDim], 0, 1, 'float32', options.seed + 1);
  const repeatRows = (columns: number) =>
    tf.tidy(() => tf.reshape(tf.tile(rowNoise, [1, columns]), [ROWS * columns, codes.noiseDim]));
  const writeGrid = async (name: string, z: tf.Tensor2D, columns: number) => {
    const images = tf.tidy(() => gan.generator.predict(z) as tf.Tensor4D);
    await writeImageGrid(join(options.out, name), images, { columns, padding: 2, scale: 2 });
    tf.dispose([images, z]);
  };
  const writeGrids = async () => {
    const noise10 = repeatRows(10);
    const columnsOf = (n: number, values: number[]) =>
      Array.from({ length: ROWS * n }, (_, i) => values[i % n]);
    const digits = Array.from({ length: 10 }, (_, k) => k);
    await writeGrid(
      'categorical.png',
      codes.latents(ROWS * 10, {
        categorical: [columnsOf(10, digits)],
        continuous: [0, 0],
        noise: noise10,
      }),
      10,
    );
    noise10.dispose();
    const n = SWEEP.length;
    const noiseSweep = repeatRows(n);
    const rowCategory = Array.from({ length: ROWS * n }, (_, i) => Math.floor(i / n) % 10);
    for (const j of [0, 1]) {
      const continuous: (number | number[])[] = [0, 0];
      continuous[j] = columnsOf(n, SWEEP);
      const z = codes.latents(ROWS * n, {
        categorical: [rowCategory],
        continuous,
        noise: noiseSweep,
      });
      await writeGrid(`continuous-${j + 1}.png`, z, n);
    }
    noiseSweep.dispose();
  };

  process.stderr.write(
    `Training an InfoGAN on ${mnist.shape[0]} MNIST images, backend ${tf.getBackend()}, ` +
      `${options.steps} steps of ${options.batchSize}; writing to ${options.out}\n`,
  );
  const progress = new ProgressBar({ total: options.steps });
  const log = new LossLog(
    ['step', 'discriminator_loss', 'generator_loss', 'information_loss', 'seconds'],
    ['discriminator', 'generator', 'information'],
  );
  const started = performance.now();
  await trainer.fit(batches, {
    steps: options.steps,
    onStepEnd: (r) => {
      const info = r.auxiliaryLoss!.generator;
      log.add([r.step, r.discriminatorLoss, r.generatorLoss, info, r.seconds], {
        discriminator: r.discriminatorLoss,
        generator: r.generatorLoss,
        information: info,
      });
      progress.update(r.step, {
        'D loss': r.discriminatorLoss,
        'G loss': r.generatorLoss,
        'MI loss': info,
      });
    },
  });
  progress.stop();
  const seconds = (performance.now() - started) / 1000;

  await writeGrids();
  await log.write(options.out, 'InfoGAN on MNIST (information: the mutual-information loss)');
  const last = log.curves.information.slice(-100);
  const meanInfo = last.reduce((a, b) => a + b, 0) / last.length;
  process.stderr.write(
    `Done: ${options.steps} steps in ${seconds.toFixed(1)} s ` +
      `(${(options.steps / seconds).toFixed(2)} steps/s). Mutual-information loss, mean of the ` +
      `last ${last.length} steps: ${meanInfo.toFixed(3)} (a Q that knows nothing scores ` +
      `ln 10 ≈ 2.303 for the categorical code alone). Grids: ${options.out}/categorical.png, ` +
      `continuous-1.png, continuous-2.png\n`,
  );
  rowNoise.dispose();
  trainer.dispose();
  gan.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
