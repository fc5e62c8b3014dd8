import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DCGAN, FormatError, Trainer, type AdversarialLoss } from '../../src';
import { checkpointDirectory } from '../../src/node';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tfjs-gan-trainer-ckpt-'));
});
const disposables: { dispose(): void }[] = [];
afterEach(async () => {
  for (const d of disposables.splice(0)) d.dispose();
  await rm(dir, { recursive: true, force: true });
});
function track<T extends { dispose(): void }>(value: T): T {
  disposables.push(value);
  return value;
}

describe('Trainer checkpoints', () => {
  /**
   * One generator weight w with G(z) = w and a generator loss of sign·G(z), so the gradient
   * with respect to w is `sign`; the discriminator has a weight that no loss depends on.
   */
  function adamSetup(control: { sign: number }) {
    const w = track(tf.variable(tf.zeros([1, 1])));
    const d = track(tf.variable(tf.zeros([1, 1])));
    const loss: AdversarialLoss = {
      name: 'signed',
      generatorLoss: (fake) => tf.mul(control.sign, tf.mean(fake)) as tf.Scalar,
      discriminatorLoss: (real, fake) => tf.sub(tf.mean(real), tf.mean(fake)) as tf.Scalar,
    };
    const trainer = track(
      new Trainer({
        generator: (z) => tf.add(tf.mul(z, 0), w),
        generatorVariables: [w],
        discriminator: (x) => tf.add(x, tf.mul(d, 0)),
        discriminatorVariables: [d],
        latentDim: 1,
        loss,
        generatorOptimizer: tf.train.adam(0.1, 0.9, 0.999),
        discriminatorOptimizer: tf.train.sgd(0),
        seed: 1,
      }),
    );
    return { w, trainer };
  }

  it("resumes Adam's moments: -0.1 after step 1, -0.0947368 after step 2 either way", async () => {
    // Adam, lr 0.1, β1 0.9, β2 0.999, w0 = 0.
    // Step 1, g = +1: m = 0.1, v = 0.001; m̂ = 0.1/(1-0.9) = 1, v̂ = 0.001/(1-0.999) = 1;
    //   w = 0 - 0.1·1/√1 = -0.1.
    // Step 2, g = -1: m = 0.9·0.1 - 0.1 = -0.01, v = 0.999·0.001 + 0.001 = 0.001999;
    //   m̂ = -0.01/(1-0.81) = -0.0526316, v̂ = 0.001999/(1-0.998001) = 1;
    //   w = -0.1 + 0.1·0.0526316 = -0.0947368.
    // A resume that lost the moments would restart at m = v = 0 and step 1 of the bias
    // correction: w = -0.1 - 0.1·(-1) = 0.
    // Tolerance 5e-6: in float32, 1 - 0.999 is 0.00099998713, so v̂ = 1.0000129 and the step
    // is off by about 1e-5 relative; that is the optimiser's own rounding.
    const real = track(tf.zeros([1, 1]));
    const control = { sign: 1 };
    const straight = adamSetup(control);
    await straight.trainer.step(real);
    expect(straight.w.dataSync()[0]).toBeCloseTo(-0.1, 5);
    const store = checkpointDirectory(dir);
    await straight.trainer.saveCheckpoint(store);
    control.sign = -1;
    await straight.trainer.step(real);
    expect(straight.w.dataSync()[0]).toBeCloseTo(-0.0947368, 5);

    const resumed = adamSetup(control);
    expect(await resumed.trainer.loadCheckpoint(store)).toBe(1);
    expect(resumed.trainer.stepCount).toBe(1);
    expect(resumed.w.dataSync()[0]).toBeCloseTo(-0.1, 5);
    await resumed.trainer.step(real);
    expect(resumed.w.dataSync()[0]).toBeCloseTo(-0.0947368, 5);
  });

  function dcganTrainer(initSeed: number) {
    const gan = track(
      new DCGAN({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 2, seed: initSeed }),
    );
    const trainer = track(
      new Trainer({
        generator: gan.generator,
        discriminator: gan.discriminator,
        seed: 7,
        emaDecay: 0.9,
        labelTricks: { realRange: [0.8, 1], flipProbability: 0.1 },
      }),
    );
    return { gan, trainer };
  }
  const weightsOf = (gan: DCGAN) =>
    [...gan.generator.getWeights(), ...gan.discriminator.getWeights()].map((t) =>
      Array.from(t.dataSync()),
    );

  it('gives the same numbers after a resume as without stopping', async () => {
    const batches = [0, 1, 2, 3].map((s) =>
      track(tf.randomUniform([4, 8, 8, 1], -1, 1, 'float32', s)),
    );
    const store = checkpointDirectory(dir);

    const straight = dcganTrainer(1);
    const straightLosses: number[] = [];
    for (const [i, batch] of batches.entries()) {
      const r = await straight.trainer.step(batch);
      straightLosses.push(r.discriminatorLoss, r.generatorLoss);
      if (i === 1) await straight.trainer.saveCheckpoint(store);
    }

    // A fresh trainer with different initial weights, resumed from step 2.
    const resumed = dcganTrainer(2);
    await resumed.trainer.loadCheckpoint(store);
    const resumedLosses: number[] = [];
    for (const batch of batches.slice(2)) {
      const r = await resumed.trainer.step(batch);
      resumedLosses.push(r.discriminatorLoss, r.generatorLoss);
    }
    expect(resumedLosses).toEqual(straightLosses.slice(4));
    expect(weightsOf(resumed.gan)).toEqual(weightsOf(straight.gan));
    // The EMA weights and the sampling stream came back too.
    const a = straight.trainer.sample(2);
    const b = resumed.trainer.sample(2);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
  });

  it('keeps the tensor count flat across 10 checkpoint saves', async () => {
    const { trainer } = dcganTrainer(1);
    const real = track(tf.zeros([4, 8, 8, 1]));
    await trainer.step(real);
    const store = checkpointDirectory(dir, { keep: 2 });
    await trainer.saveCheckpoint(store);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) await trainer.saveCheckpoint(store);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a checkpoint of another architecture and changes nothing', async () => {
    const small = dcganTrainer(1);
    const store = checkpointDirectory(dir);
    await small.trainer.saveCheckpoint(store);
    const gan = track(new DCGAN({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 4, seed: 3 }));
    const other = track(
      new Trainer({
        generator: gan.generator,
        discriminator: gan.discriminator,
        seed: 7,
        emaDecay: 0.9,
      }),
    );
    const before = weightsOf(gan);
    const error = await other.loadCheckpoint(store).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    // baseFilters 2 -> 4 doubles the generator's dense layer: 4 -> 4·4·4 = 64 units instead of
    // 4·4·2 = 32 (seed grid 4×4, one stage, top filters = baseFilters).
    expect((error as Error).message).toBe(
      'Trainer.loadCheckpoint: the shape of generator weight 0:' +
        `${(small.gan.generator.weights[0].read() as tf.Variable).name} does not match this ` +
        'trainer: expected [4,64], got [4,32].',
    );
    expect(weightsOf(gan)).toEqual(before);
    expect(other.stepCount).toBe(0);
  });

  it('saves every k steps and at the end of fit', async () => {
    const { trainer } = dcganTrainer(1);
    const store = checkpointDirectory(dir, { keep: 10 });
    const all = track(tf.randomUniform([20, 8, 8, 1], -1, 1, 'float32', 4));
    await trainer.fit(all, { batchSize: 4, steps: 5, checkpoint: { store, every: 2 } });
    // Saved after steps 2 and 4, and at the end (step 5).
    expect((await store.list()).map((entry) => entry.step)).toEqual([5, 4, 2]);
  });
});
