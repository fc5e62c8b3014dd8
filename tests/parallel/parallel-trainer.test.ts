import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';

import { DCGAN, hingeLoss, NonFiniteLossError, relativisticAverageLoss, Trainer } from '../../src';
import { ParallelTrainer } from '../../src/parallel';
import { expectNoLeaks } from '../helpers/leaks';

const trainers: ParallelTrainer[] = [];
const disposables: { dispose(): void }[] = [];
afterEach(async () => {
  for (const t of trainers.splice(0)) await t.dispose();
  for (const d of disposables.splice(0)) d.dispose();
});
function track<T extends { dispose(): void }>(value: T): T {
  disposables.push(value);
  return value;
}
async function start(
  options: Parameters<typeof ParallelTrainer.create>[0],
): Promise<ParallelTrainer> {
  const trainer = await ParallelTrainer.create({ backend: 'cpu', ...options });
  trainers.push(trainer);
  return trainer;
}

/** A DCGAN for 8×8 images without batch normalisation, so cutting a batch changes nothing. */
function tinyGan(seed = 1): DCGAN {
  return track(
    new DCGAN({
      imageShape: [8, 8, 1],
      latentDim: 4,
      baseFilters: 4,
      generatorNorm: 'none',
      discriminatorNorm: 'none',
      seed,
    }),
  );
}

async function values(model: tf.LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.weights.map(async (w) => new Float32Array(await w.read().data())));
}

/** Largest `|a - b|` and largest `|a|` over a tensor's values. */
function maxDifference(a: Float32Array, b: Float32Array): [number, number] {
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    difference = Math.max(difference, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  return [difference, scale];
}

/** A layer the main thread knows and the workers do not. */
class MainThreadOnly extends tf.layers.Layer {
  static className = 'ParallelTestMainThreadOnly';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 2);
  }
}
tf.serialization.registerClass(MainThreadOnly);

describe('ParallelTrainer', () => {
  it('follows the one-core Trainer over 3 steps on a network without batch norm', async () => {
    const one = tinyGan();
    const two = tinyGan();
    const trainer = track(
      new Trainer({ generator: one.generator, discriminator: one.discriminator, seed: 7 }),
    );
    const parallel = await start({
      generator: two.generator,
      discriminator: two.discriminator,
      seed: 7,
    });
    // 7 rows: shards of 4 and 3, so the shares 4/7 and 3/7 matter.
    const reals = [1, 2, 3].map((s) => track(tf.randomUniform([7, 8, 8, 1], -1, 1, 'float32', s)));
    for (const real of reals) {
      const a = await trainer.step(real);
      const b = await parallel.step(real);
      expect(b.step).toBe(a.step);
      // The shard means, weighted by share, are the batch mean up to float32 rounding (~1e-7).
      for (const key of ['discriminatorLoss', 'generatorLoss', 'realScore', 'fakeScore'] as const) {
        expect(Math.abs(b[key] - a[key])).toBeLessThan(1e-6 * Math.abs(a[key]));
      }
    }
    await parallel.syncModels();
    // Adam moves a weight by about lr = 2e-4 per step whatever the gradient's size. Kernels
    // (|w| up to ~0.06) must agree to 1e-5 of their largest weight; biases start at 0 and are
    // still within 3 steps (6e-4) of it, where float32 rounding of the gradient sums, divided
    // by Adam's sqrt(v), is a larger fraction, so they must agree to 1e-4 of one step (2e-8).
    // Both bounds are at least 200 times smaller than one step: a missing, doubled or
    // mis-shared update shows, rounding does not.
    for (const [a, b] of [
      [one.generator, two.generator],
      [one.discriminator, two.discriminator],
    ]) {
      const [x, y] = [await values(a), await values(b)];
      x.forEach((w, i) => {
        const [difference, scale] = maxDifference(w, y[i]);
        expect(difference).toBeLessThan(Math.max(1e-5 * scale, 1e-4 * 2e-4));
      });
    }
  });

  it('takes the same plain gradient steps as the Trainer, shard shares included', async () => {
    // SGD moves each weight by lr·g, so weights differ exactly as the gradients do; with
    // lr = 1 the steps are as large as the gradients (|g| up to ~0.3 here).
    const one = tinyGan(5);
    const two = tinyGan(5);
    const sgd = () => ({
      generatorOptimizer: tf.train.sgd(1),
      discriminatorOptimizer: tf.train.sgd(1),
    });
    const trainer = track(
      new Trainer({
        generator: one.generator,
        discriminator: one.discriminator,
        seed: 9,
        ...sgd(),
      }),
    );
    const parallel = await start({
      generator: two.generator,
      discriminator: two.discriminator,
      seed: 9,
      workers: 3,
      ...sgd(),
    });
    // 8 rows for 3 workers: shards of 3, 3 and 2.
    const real = track(tf.randomUniform([8, 8, 8, 1], -1, 1, 'float32', 6));
    for (let i = 0; i < 3; i++) {
      await trainer.step(real);
      await parallel.step(real);
    }
    await parallel.syncModels();
    // Float32 sums over 8 rows in another order differ by ~1e-7 relative; sharing the shards
    // equally instead of 3/8, 3/8, 2/8 would change gradients by about a tenth.
    for (const [a, b] of [
      [one.generator, two.generator],
      [one.discriminator, two.discriminator],
    ]) {
      const [x, y] = [await values(a), await values(b)];
      x.forEach((w, i) => {
        const [difference, scale] = maxDifference(w, y[i]);
        expect(difference).toBeLessThan(1e-5 * scale);
      });
    }
  });

  it('keeps every replica bit-identical with batch norm, whose statistics are per shard', async () => {
    const gan = track(new DCGAN({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 4, seed: 2 }));
    const parallel = await start({
      generator: gan.generator,
      discriminator: gan.discriminator,
      seed: 2,
      workers: 3,
    });
    const real = track(tf.randomUniform([8, 8, 8, 1], -1, 1, 'float32', 4));
    for (let i = 0; i < 2; i++) await parallel.step(real);
    const [first, ...others] = await parallel.replicaWeights();
    for (const other of others) {
      for (const network of ['generator', 'discriminator'] as const) {
        other[network].forEach((w, i) => expect(w).toEqual(first[network][i]));
      }
    }
  });

  it('draws the same samples as the Trainer from the same weights and seed', async () => {
    const gan = tinyGan();
    const trainer = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 3 }),
    );
    const parallel = await start({
      generator: gan.generator,
      discriminator: gan.discriminator,
      seed: 3,
    });
    const a = track(trainer.sample(5, 11));
    const b = track(await parallel.sample(5, 11));
    expect(b.shape).toEqual([5, 8, 8, 1]);
    // Same latents and weights; the kernels may sum in another order, so float32 rounding.
    const [difference, scale] = maxDifference(
      (await a.data()) as Float32Array,
      (await b.data()) as Float32Array,
    );
    expect(difference).toBeLessThan(1e-5 * scale);
  });

  it('keeps the main thread free of leaked tensors across steps', async () => {
    const gan = tinyGan();
    const parallel = await start({
      generator: gan.generator,
      discriminator: gan.discriminator,
      seed: 1,
    });
    const real = track(tf.randomUniform([4, 8, 8, 1], -1, 1, 'float32', 1));
    await parallel.step(real);
    await expectNoLeaks(async () => {
      for (let i = 0; i < 3; i++) await parallel.step(real);
    });
  });

  it('refuses a Trainer option it cannot reproduce, before starting workers', async () => {
    const gan = tinyGan();
    await expect(
      ParallelTrainer.create({
        generator: gan.generator,
        discriminator: gan.discriminator,
        emaDecay: 0.9,
      } as never),
    ).rejects.toThrow(
      "ParallelTrainer: option 'emaDecay' is not supported by data-parallel training; supported are " +
        "'generator', 'discriminator', 'workers', 'backend', 'timeout', 'latentDim', 'seed', " +
        "'discriminatorSteps', 'generatorSteps', 'realRange', 'trainingKernels', " +
        "'generatorOptimizer', 'discriminatorOptimizer', 'loss'. Use Trainer for it.",
    );
    await expect(
      ParallelTrainer.create({
        generator: gan.generator,
        discriminator: gan.discriminator,
        loss: relativisticAverageLoss,
      }),
    ).rejects.toThrow(
      "ParallelTrainer: loss must be one of the library's pairs 'non-saturating', 'minimax', " +
        "'wasserstein', 'hinge', 'least-squares' or crossEntropyLoss(...), got 'relativistic-average'.",
    );
  });

  it('refuses a batch with fewer rows than workers', async () => {
    const gan = tinyGan();
    const parallel = await start({
      generator: gan.generator,
      discriminator: gan.discriminator,
      workers: 3,
      loss: hingeLoss,
    });
    const real = track(tf.zeros([2, 8, 8, 1]));
    await expect(parallel.step(real)).rejects.toThrow(
      'ParallelTrainer.step: real must have at least one row per worker (3), got a batch of 2.',
    );
  });

  it("rejects create with a worker's error", async () => {
    const generator = track(
      tf.sequential({
        layers: [tf.layers.dense({ inputShape: [2], units: 2 }), new MainThreadOnly({})],
      }),
    );
    const discriminator = track(
      tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] }),
    );
    await expect(
      ParallelTrainer.create({ generator, discriminator, backend: 'cpu' }),
    ).rejects.toThrow(
      /^ParallelTrainer\.create: worker 0: Unknown layer: ParallelTestMainThreadOnly\./,
    );
  });

  it('rejects a non-finite loss as NonFiniteLossError and stays usable', async () => {
    const gan = tinyGan();
    const parallel = await start({
      generator: gan.generator,
      discriminator: gan.discriminator,
      realRange: null,
    });
    const nan = track(tf.fill([4, 8, 8, 1], NaN));
    const error = await parallel.step(nan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect(error).toMatchObject({ step: 0, network: 'discriminator' });
    const real = track(tf.zeros([4, 8, 8, 1]));
    expect((await parallel.step(real)).step).toBe(1);
  });

  it('rejects instead of waiting when a worker does not answer in time', async () => {
    const gan = tinyGan();
    // Starting a worker thread takes far longer than 1 ms.
    await expect(
      ParallelTrainer.create({
        generator: gan.generator,
        discriminator: gan.discriminator,
        backend: 'cpu',
        timeout: 1,
      }),
    ).rejects.toThrow("ParallelTrainer.create: worker 0 did not answer 'init' within 1 ms");
  });

  it('stops its workers on dispose and refuses to step after', async () => {
    const gan = tinyGan();
    const parallel = await start({ generator: gan.generator, discriminator: gan.discriminator });
    await parallel.dispose();
    const real = track(tf.zeros([4, 8, 8, 1]));
    await expect(parallel.step(real)).rejects.toThrow(
      'ParallelTrainer.step: the trainer stopped after a worker failed (the trainer was disposed); ' +
        'dispose it and create a new one.',
    );
  });
});
