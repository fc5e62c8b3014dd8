/**
 * Trains a WGAN-GP (Gulrajani et al. 2017, https://arxiv.org/abs/1704.00028) on the real MNIST
 * training digits with the library's preset, `WganGp.dcgan`: Wasserstein loss, gradient penalty
 * λ = 10, five critic updates per generator update, Adam(1e-4, β1 = 0, β2 = 0.9), and a critic
 * without batch normalisation.
 *
 *   npm run build && npx tsx examples/wgan-gp.ts   # wasm backend, 800 steps; see --help
 *   npx tsx examples/wgan-gp.ts --steps 2000 --base-filters 32
 *
 * Output folder: samples-<step>.png every --sample-every steps, samples-final.png, losses.csv,
 * and losses.svg (critic loss, generator loss, gradient penalty, smoothed).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ImageBatches, Trainer, WganGp } from 'tfjs-gan';
import { ProgressBar, writeImageGrid } from 'tfjs-gan/node';

import { LossLog, readMnistTrainingImages, startExample } from './shared';

const HELP = `Train a WGAN-GP on MNIST.

Usage: npx tsx examples/wgan-gp.ts [options]

  --steps N          generator updates (each after --critic-steps critic updates)  [800]
  --critic-steps N   critic updates per generator update                            [5]
  --batch-size N     real images per critic update                                  [32]
  --base-filters N   DCGAN width                                                    [16]
  --critic-norm X    normalisation in the critic: none, instance or layer           [none]
  --backend NAME     wasm or cpu                                                   [wasm]
  --sample-every N   write a sample grid every N steps                             [200]
  --out DIR          output folder                                     [out/wgan-gp]
  --seed N           seed of the weights, the latents and the shuffling             [42]
  --help             show this text
`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string', default: '800' },
      'critic-steps': { type: 'string', default: '5' },
      'batch-size': { type: 'string', default: '32' },
      'base-filters': { type: 'string', default: '16' },
      'critic-norm': { type: 'string', default: 'none' },
      backend: { type: 'string', default: 'wasm' },
      'sample-every': { type: 'string', default: '200' },
      out: { type: 'string', default: 'out/wgan-gp' },
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
  const oneOf = <T extends string>(name: keyof typeof values, allowed: readonly T[]) => {
    const value = values[name] as T;
    if (!allowed.includes(value)) {
      throw new RangeError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'.`);
    }
    return value;
  };
  return {
    help: values.help as boolean,
    steps: int('steps'),
    criticSteps: int('critic-steps'),
    batchSize: int('batch-size', 2),
    baseFilters: int('base-filters'),
    criticNorm: oneOf('critic-norm', ['none', 'layer', 'instance'] as const),
    backend: oneOf('backend', ['wasm', 'cpu'] as const),
    sampleEvery: int('sample-every'),
    out: values.out as string,
    seed: int('seed', 0),
  };
}

async function main(): Promise<void> {
  const options = await startExample(parseOptions, HELP);
  if (!options) return;

  const mnist = await readMnistTrainingImages();
  const batches = ImageBatches.fromIdx(mnist, { batchSize: options.batchSize, seed: options.seed });

  // The preset: a DCGAN whose critic has no batch normalisation (the penalty takes each
  // sample's gradient on its own), the Wasserstein loss, the gradient penalty with weight 10
  // and Adam(1e-4, 0, 0.9); it owns the networks and the optimisers.
  const wgan = WganGp.dcgan(
    {
      imageShape: [28, 28, 1],
      baseFilters: options.baseFilters,
      discriminatorNorm: options.criticNorm,
      seed: options.seed,
    },
    { discriminatorSteps: options.criticSteps },
  );
  const trainer = new Trainer({ ...wgan.trainerOptions, seed: options.seed });
  const writeSamples = async (name: string) => {
    const samples = trainer.sample(64, options.seed + 1) as tf.Tensor4D; // the same 64 latents
    await writeImageGrid(join(options.out, name), samples, { columns: 8, padding: 2, scale: 2 });
    samples.dispose();
  };

  process.stderr.write(
    `Training a WGAN-GP on ${mnist.shape[0]} MNIST images, backend ${tf.getBackend()}, ` +
      `${options.steps} steps of ${options.criticSteps} critic updates on batches of ` +
      `${options.batchSize}; writing to ${options.out}\n`,
  );
  const progress = new ProgressBar({ total: options.steps });
  const log = new LossLog(
    ['step', 'critic_loss', 'generator_loss', 'gradient_penalty', 'seconds'],
    ['critic', 'generator', 'penalty'],
  );
  const started = performance.now();
  await trainer.fit(batches, {
    steps: options.steps,
    onWarning: (warning) =>
      void process.stderr.write(`\nWarning (${warning.kind}): ${warning.message}\n`),
    onStepEnd: async (r) => {
      const penalty = r.terms['gradient-penalty'];
      log.add([r.step, r.discriminatorLoss, r.generatorLoss, penalty, r.seconds], {
        critic: r.discriminatorLoss,
        generator: r.generatorLoss,
        penalty,
      });
      progress.update(r.step, { critic: r.discriminatorLoss, G: r.generatorLoss });
      if (r.step % options.sampleEvery === 0 && r.step < options.steps) {
        await writeSamples(`samples-${String(r.step).padStart(5, '0')}.png`);
      }
    },
  });
  progress.stop();
  const seconds = (performance.now() - started) / 1000;

  await writeSamples('samples-final.png');
  // The critic's loss is minus its estimate of the Wasserstein distance: it should rise
  // towards 0 as the samples improve.
  await log.write(options.out, 'WGAN-GP on MNIST');
  process.stderr.write(
    `Done: ${options.steps} steps in ${seconds.toFixed(1)} s. Samples: ` +
      `${join(options.out, 'samples-final.png')}; losses: ${join(options.out, 'losses.svg')}\n`,
  );
  trainer.dispose();
  wgan.dispose(); // the networks and both optimisers
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
