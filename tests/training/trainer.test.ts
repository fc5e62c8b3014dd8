import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  DCGAN,
  NonFiniteLossError,
  relativisticAverageLoss,
  Trainer,
  type LatentSampler,
} from '../../src';
import { track } from '../helpers/track';

/**
 * A one-weight generator `G(z) = k·z` (k = 0) and a linear discriminator `D(x) = w·x + b`
 * (b = 0, w from `discriminatorWeight`).
 */
function onePair(discriminatorWeight: 'zeros' | 'ones') {
  const generator = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [1], units: 1, useBias: false, kernelInitializer: 'zeros' }),
    ],
  });
  const discriminator = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [1], units: 1, kernelInitializer: discriminatorWeight }),
    ],
  });
  return { generator: track(generator), discriminator: track(discriminator) };
}
/** A zero generator and a zero discriminator (w = 0, b = 0). */
const linearPair = () => onePair('zeros');
/** A zero generator `G(z) = 0` and an identity discriminator `D(x) = x` (w = 1, b = 0). */
const identityPair = () => onePair('ones');
const ones: LatentSampler = (n, d) => tf.ones([n, d]);

function tinyDcgan(seed = 1) {
  return track(new DCGAN({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 2, seed }));
}

describe('Trainer', () => {
  it('reports the cross-entropy losses of a zero discriminator exactly', async () => {
    const { generator, discriminator } = linearPair();
    const trainer = track(
      new Trainer({
        generator,
        discriminator,
        latentSampler: ones,
        generatorOptimizer: tf.train.sgd(0),
        discriminatorOptimizer: tf.train.sgd(0),
      }),
    );
    const real = tf.ones([2, 1]);
    const result = await trainer.step(real);
    real.dispose();
    // All logits are 0: L_D = softplus(-0) + softplus(0) = 2·ln 2 = 1.3862944;
    // L_G = softplus(-0) = ln 2 = 0.6931472; D(x) = D(G(z)) = sigmoid(0) = 0.5.
    expect(result.step).toBe(1);
    expect(result.discriminatorLoss).toBeCloseTo(1.3862944, 6);
    expect(result.generatorLoss).toBeCloseTo(0.6931472, 6);
    expect(result.realScore).toBeCloseTo(0.5, 6);
    expect(result.fakeScore).toBeCloseTo(0.5, 6);
    expect(result.seconds).toBeGreaterThan(0);
  });

  it('reports the mean sigmoid scores of real and fake batches, of equal or unequal sizes', async () => {
    // D(x) = x and G(z) = 0; learning rate 0 keeps both.
    const { generator, discriminator } = identityPair();
    const options = {
      generator,
      discriminator,
      latentSampler: ones,
      generatorOptimizer: tf.train.sgd(0),
      discriminatorOptimizer: tf.train.sgd(0),
    };
    const ln3 = Math.log(3);
    const equal = tf.tensor2d([[0], [ln3]]);
    const result = await track(new Trainer(options)).step(equal);
    // sigmoid(0) = 1/2 and sigmoid(ln 3) = 3/(3 + 1) = 3/4: real (1/2 + 3/4) / 2 = 0.625;
    // every fake is G(z) = 0, so its score is 1/2.
    expect(result.realScore).toBeCloseTo(0.625, 6);
    expect(result.fakeScore).toBeCloseTo(0.5, 6);
    // Two discriminator updates; latents are sized by the first batch (2), so the second
    // update meets 3 real rows and 2 fakes (the library's losses refuse that; a loss of means
    // takes it). The scores are the last update's: real (3/4 + 3/4 + 1/2) / 3 = 2/3, fake 1/2.
    const unequal = tf.tensor2d([[ln3], [ln3], [0]]);
    const meansLoss = {
      name: 'difference of means',
      discriminatorLoss: (real: tf.Tensor, fake: tf.Tensor) =>
        tf.sub(tf.mean(fake), tf.mean(real)) as tf.Scalar,
      generatorLoss: (fake: tf.Tensor) => tf.neg(tf.mean(fake)) as tf.Scalar,
    };
    const twice = track(new Trainer({ ...options, loss: meansLoss, discriminatorSteps: 2 }));
    const last = await twice.step([equal, unequal]);
    expect(last.realScore).toBeCloseTo(2 / 3, 6);
    expect(last.fakeScore).toBeCloseTo(0.5, 6);
    tf.dispose([equal, unequal]);
  });

  it('updates the discriminator first, then the generator through the updated discriminator', async () => {
    const { generator, discriminator } = linearPair();
    const trainer = track(
      new Trainer({
        generator,
        discriminator,
        latentSampler: ones,
        generatorOptimizer: tf.train.sgd(0.1),
        discriminatorOptimizer: tf.train.sgd(0.1),
      }),
    );
    const real = tf.ones([1, 1]);
    await trainer.step(real);
    real.dispose();
    // D step, x = 1, fake = k·z = 0, w = b = 0:
    //   L_D = softplus(-(w·1 + b)) + softplus(w·0 + b)
    //   dL/dw = -sigmoid(-(w + b))·1 = -0.5;  dL/db = -sigmoid(0) + sigmoid(0) = 0
    //   SGD 0.1: w = 0 - 0.1·(-0.5) = 0.05, b = 0.
    const [w, b] = discriminator.getWeights().map((t) => t.dataSync()[0]);
    expect(w).toBeCloseTo(0.05, 7);
    expect(b).toBeCloseTo(0, 7);
    // G step with the new w, z = 1: L_G = softplus(-(w·k·z + b))
    //   dL/dk = -sigmoid(-(w·k + b))·w·z = -0.5·0.05·1 = -0.025;  k = 0 - 0.1·(-0.025) = 0.0025.
    const [k] = generator.getWeights().map((t) => t.dataSync()[0]);
    expect(k).toBeCloseTo(0.0025, 7);
  });

  it('adds discriminator terms to the update and reports them by name', async () => {
    const { generator, discriminator } = linearPair();
    const trainer = track(
      new Trainer({
        generator,
        discriminator,
        latentSampler: ones,
        generatorOptimizer: tf.train.sgd(0),
        discriminatorOptimizer: tf.train.sgd(0.1),
        discriminatorTerms: [
          { name: 'minus-real-logit', compute: ({ realLogits }) => tf.mean(tf.neg(realLogits!)) },
        ],
      }),
    );
    const real = tf.ones([1, 1]);
    const result = await trainer.step(real);
    real.dispose();
    // The term is -(w·1 + b) = 0 at w = b = 0, with gradient -1 for both w and b. Added to
    // the cross-entropy gradients (-0.5 for w, 0 for b, see above), SGD 0.1 gives
    // w = 0 - 0.1·(-0.5 - 1) = 0.15 and b = 0 - 0.1·(0 - 1) = 0.1.
    expect(result.terms['minus-real-logit']).toBeCloseTo(0, 7);
    const [w, b] = discriminator.getWeights().map((t) => t.dataSync()[0]);
    expect(w).toBeCloseTo(0.15, 6);
    expect(b).toBeCloseTo(0.1, 6);
  });

  it('applies a term every k steps, scaled by k (lazy regularisation)', async () => {
    const { generator, discriminator } = linearPair();
    const trainer = track(
      new Trainer({
        generator,
        discriminator,
        latentSampler: ones,
        generatorTerms: [{ name: 'half', every: 3, compute: () => tf.scalar(0.5) }],
      }),
    );
    const real = tf.ones([1, 1]);
    const seen: Record<string, number>[] = [];
    for (let i = 0; i < 4; i++) seen.push((await trainer.step(real)).terms);
    real.dispose();
    // Due on 0-based steps 0 and 3, each time 0.5·3 = 1.5; absent on steps 1 and 2.
    expect(seen).toEqual([{ half: 1.5 }, {}, {}, { half: 1.5 }]);
  });

  it('refuses terms without a unique name', () => {
    const { generator, discriminator } = linearPair();
    const term = { name: 'same', compute: () => tf.scalar(0) };
    expect(
      () => new Trainer({ generator, discriminator, discriminatorTerms: [term, term] }),
    ).toThrow("Trainer: discriminatorTerms[1].name must be a unique non-empty string, got 'same'.");
  });

  it('passes real logits to a relativistic generator loss', async () => {
    const { generator, discriminator } = identityPair();
    const trainer = track(
      new Trainer({
        generator,
        discriminator,
        loss: relativisticAverageLoss,
        latentSampler: ones,
        generatorOptimizer: tf.train.sgd(0),
        discriminatorOptimizer: tf.train.sgd(0),
      }),
    );
    const real = tf.tensor2d([[1], [3]]);
    const result = await trainer.step(real);
    real.dispose();
    // D(x) = x: real logits [1, 3], fake logits [0, 0] (G(z) = 0·z).
    // r - mean(f) = [1, 3]; f - mean(r) = [-2, -2]. Per sample
    // L_G = softplus(r - mean f) + softplus(-(f - mean r)) = softplus(1) + softplus(2) and
    // softplus(3) + softplus(2); mean = (1.313262 + 2.126928 + 3.048587 + 2.126928) / 2 = 4.307852.
    expect(result.generatorLoss).toBeCloseTo(4.307852, 5);
  });

  it('keeps the number of live tensors flat from step 1 to step 100', async () => {
    const gan = tinyDcgan();
    const trainer = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 3 }),
    );
    const real = tf.randomUniform([4, 8, 8, 1], -1, 1, 'float32', 5);
    await trainer.step(real); // the first step creates Adam's moment slots
    const afterFirst = tf.memory().numTensors;
    for (let i = 1; i < 100; i++) await trainer.step(real);
    expect(trainer.stepCount).toBe(100);
    expect(tf.memory().numTensors).toBe(afterFirst);
    real.dispose();
  });

  it('samples in inference mode without changing batch-norm statistics', async () => {
    const gan = tinyDcgan();
    const trainer = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 3 }),
    );
    const before = gan.generator.getWeights().map((t) => Array.from(t.dataSync()));
    const samples = trainer.sample(5);
    expect(samples.shape).toEqual([5, 8, 8, 1]);
    samples.dispose();
    const after = gan.generator.getWeights().map((t) => Array.from(t.dataSync()));
    expect(after).toEqual(before);
    // The same seed draws the same latents, hence the same images.
    const a = trainer.sample(2, 9);
    const b = trainer.sample(2, 9);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });

  it('gives the same losses for the same seeds', async () => {
    const run = async () => {
      const gan = tinyDcgan(4);
      const trainer = track(
        new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 8 }),
      );
      const real = tf.randomUniform([4, 8, 8, 1], -1, 1, 'float32', 5);
      const losses = [];
      for (let i = 0; i < 3; i++) {
        const r = await trainer.step(real);
        losses.push(r.discriminatorLoss, r.generatorLoss);
      }
      real.dispose();
      return losses;
    };
    expect(await run()).toEqual(await run());
  });

  it('refuses a batch that does not fit the discriminator', async () => {
    const gan = tinyDcgan();
    const trainer = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator }),
    );
    const wrong = tf.zeros([4, 8, 8]);
    await expect(trainer.step(wrong)).rejects.toThrow(
      "Trainer.step: real must have shape [?,8,8,1] (the discriminator's input), got [4,8,8].",
    );
    const disposed = tf.zeros([4, 8, 8, 1]);
    disposed.dispose();
    await expect(trainer.step(disposed)).rejects.toThrow(
      'Trainer.step: real is a disposed tensor; pass a live batch.',
    );
    expect(() => trainer.sample(0)).toThrow(
      'Trainer.sample: count must be an integer >= 1, got 0.',
    );
    await expect(trainer.step(42 as never)).rejects.toThrow(
      'Trainer.step: real must be a tf.Tensor, got 42.',
    );
    await expect(trainer.step([wrong, wrong])).rejects.toThrow(
      'Trainer.step: real must be one batch or an array of discriminatorSteps (1) batches, ' +
        'got an array of 2.',
    );
    wrong.dispose();
  });

  it('refuses models that are not layers models', () => {
    expect(() => new Trainer({ generator: {} as never, discriminator: {} as never })).toThrow(
      'Trainer: generator must be a tf.LayersModel or a function (input, training) => Tensor, ' +
        'got an object.',
    );
  });

  it('stops on a non-finite loss, naming the network and step, without updating it', async () => {
    const { generator, discriminator } = linearPair();
    const trainer = track(new Trainer({ generator, discriminator, latentSampler: ones }));
    const real = tf.fill([1, 1], NaN);
    const error = await trainer.step(real).catch((e: unknown) => e);
    real.dispose();
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).network).toBe('discriminator');
    expect((error as NonFiniteLossError).step).toBe(0);
    expect((error as Error).message).toBe(
      'Trainer: the discriminator loss is NaN at step 0; training stopped.',
    );
    expect(discriminator.getWeights().map((t) => t.dataSync()[0])).toEqual([0, 0]);
  });
});

describe('Trainer.fit', () => {
  it('runs epochs over an array, calling back after every step and epoch', async () => {
    const gan = tinyDcgan();
    const trainer = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 1 }),
    );
    const batches = [0, 1, 2].map((s) => tf.randomUniform([2, 8, 8, 1], -1, 1, 'float32', s));
    const steps: number[] = [];
    const epochs: number[] = [];
    const summary = await trainer.fit(batches, {
      epochs: 2,
      onStepEnd: (r) => void steps.push(r.step),
      onEpochEnd: (e) => void epochs.push(e),
    });
    // 3 batches × 2 epochs = 6 steps; the array's tensors stay the caller's.
    expect(summary).toMatchObject({ steps: 6, epochs: 2, stoppedBy: 'epochs' });
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(epochs).toEqual([1, 2]);
    expect(batches.every((b) => !b.isDisposed)).toBe(true);
    tf.dispose(batches);
  });

  it('stops at a step limit and disposes batches from a generator function', async () => {
    const gan = tinyDcgan();
    const trainer = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 1 }),
    );
    const made: tf.Tensor[] = [];
    function* forever() {
      for (;;) {
        const t = tf.zeros([2, 8, 8, 1]);
        made.push(t);
        yield t;
      }
    }
    const summary = await trainer.fit(forever, { steps: 4 });
    expect(summary).toMatchObject({ steps: 4, epochs: 0, stoppedBy: 'steps' });
    expect(made).toHaveLength(4);
    expect(made.every((t) => t.isDisposed)).toBe(true);
  });

  it('stops when the signal aborts', async () => {
    const gan = tinyDcgan();
    const trainer = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 1 }),
    );
    const controller = new AbortController();
    const batch = tf.zeros([2, 8, 8, 1]);
    const summary = await trainer.fit(Array(10).fill(batch), {
      onStepEnd: (r) => {
        if (r.step === 2) controller.abort();
      },
      signal: controller.signal,
    });
    expect(summary).toMatchObject({ steps: 2, stoppedBy: 'abort' });
    batch.dispose();
  });

  it('refuses data that is not iterable', async () => {
    const gan = tinyDcgan();
    const trainer = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator }),
    );
    await expect(trainer.fit(42 as never)).rejects.toThrow(
      'Trainer.fit: data must be an array, an iterable or async iterable of tensors, or a ' +
        'function returning one, got 42.',
    );
  });
});
