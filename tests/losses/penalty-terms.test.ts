import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';

import { featureMatchingLoss } from '../../src/losses/feature-matching';
import { r1Penalty, r2Penalty } from '../../src/losses/r1';
import { featureMatchingTerm, gradientPenaltyTerm, r1PenaltyTerm } from '../../src/losses/terms';
import { wassersteinLoss } from '../../src/losses/wasserstein';
import type { LossTerm } from '../../src/losses/types';
import { Trainer } from '../../src/training/trainer';
import { expectNoLeaks } from '../helpers/leaks';

const disposables: { dispose(): void }[] = [];
afterEach(() => {
  for (const d of disposables.splice(0)) d.dispose();
});

/** The critic f(x) = ½‖x‖² per sample; ∇ₓf = x. */
const halfSquaredNorm = (x: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(x), 1));

describe('r1Penalty and r2Penalty', () => {
  it('give γ/2 · mean of the squared per-sample gradient norms', () => {
    // ∇ₓf = x: ‖[3, 4]‖² = 25, ‖[0.6, 0.8]‖² = 1. R1 with γ = 10: 5·(25 + 1)/2 = 65;
    // R2 with γ = 1: 0.5·13 = 6.5.
    const x = tf.tensor2d([
      [3, 4],
      [0.6, 0.8],
    ]);
    expect(r1Penalty(halfSquaredNorm, x).dataSync()[0]).toBeCloseTo(65, 4);
    expect(r2Penalty(halfSquaredNorm, x, { weight: 1 }).dataSync()[0]).toBeCloseTo(6.5, 5);
    x.dispose();
  });

  it('reaches the critic weights: d/dw of γ/2·‖w‖² is γ·w', async () => {
    // Linear critic w·x: ∇ₓ = w, R1 = 10/2·‖w‖², dR1/dw = 10·w = [30, 40].
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const w = tf.tidy(() => tf.variable(tf.tensor1d([3, 4])));
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(
        () => r1Penalty((s) => tf.sum(tf.mul(s, w), 1), x),
        [w],
      );
      expect(value.dataSync()[0]).toBeCloseTo(125, 3);
      expect(Array.from(grads[w.name].dataSync())).toEqual([30, 40]);
      tf.dispose([value, grads[w.name]]);
    });
    tf.dispose([x, w]);
  });
});

describe('featureMatchingLoss', () => {
  it('is the squared distance between the batch means of the features', () => {
    // Means over the batch: real [[1, 2], [3, 4]] → [2, 3]; fake [[0, 0], [2, 2]] → [1, 1].
    // (2 - 1)² + (3 - 1)² = 1 + 4 = 5.
    const real = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const fake = tf.tensor2d([
      [0, 0],
      [2, 2],
    ]);
    expect(featureMatchingLoss(real, fake).dataSync()[0]).toBeCloseTo(5, 6);
    expect(() => featureMatchingLoss(real, tf.zeros([2, 3]))).toThrow(
      new RangeError(
        'featureMatchingLoss: realFeatures and fakeFeatures must have the same shape, got [2,2] and [2,3].',
      ),
    );
    tf.dispose([real, fake]);
  });
});

/**
 * G(z) = 0 (zero weights) and a linear D(x) = h·(W x): a 'features' layer W = ones(2×2) and a
 * 'head' h, so the features of x = [1, 1] are [2, 2] and those of x = 0 are [0, 0].
 */
function pair(headWeights: number[][]) {
  const generator = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [1], units: 2, useBias: false, kernelInitializer: 'zeros' }),
    ],
  });
  const discriminator = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [2],
        units: 2,
        useBias: false,
        kernelInitializer: 'ones',
        name: 'features',
      }),
      tf.layers.dense({ units: 1, useBias: false, name: 'head' }),
    ],
  });
  discriminator.getLayer('head').setWeights([tf.tensor2d(headWeights)]);
  disposables.push(generator, discriminator);
  return { generator, discriminator };
}

type Terms = { discriminatorTerms?: LossTerm[]; generatorTerms?: LossTerm[] };

function trainer(terms: Terms, head = [[1], [1]]) {
  const t = new Trainer({
    ...pair(head),
    ...terms,
    loss: wassersteinLoss,
    latentSampler: (n, d) => tf.ones([n, d]),
    generatorOptimizer: tf.train.sgd(0),
    discriminatorOptimizer: tf.train.sgd(0),
    seed: 1,
  });
  disposables.push(t);
  return t;
}

describe('gradientPenaltyTerm', () => {
  it('adds the penalty in the Trainer, scaled by every on the steps where it is due', async () => {
    // D(x) = h·(W x) with W = ones(2×2), h = [3, 1]: ∇ₓD = Wᵀh = [3 + 1, 3 + 1] = [4, 4],
    // ‖∇‖ = 4·sqrt(2) = 5.656854; P = 10·(5.656854 - 1)² = 10·21.686292 = 216.86292.
    const t = trainer({ discriminatorTerms: [gradientPenaltyTerm({ every: 2 })] }, [[3], [1]]);
    const real = tf.ones([2, 2]);
    const first = await t.step(real);
    const second = await t.step(real);
    // every: 2 → due at step 0, multiplied by 2: 433.72584; absent at step 1.
    expect(first.terms['gradient-penalty']).toBeCloseTo(433.72584, 2);
    expect(second.terms).toEqual({});
    real.dispose();
  });

  it('rejects bad options when built', () => {
    expect(() => gradientPenaltyTerm({ every: 0 })).toThrow(
      new RangeError('gradientPenaltyTerm: every must be an integer >= 1, got 0.'),
    );
    expect(() => gradientPenaltyTerm({ seed: 1 } as never)).toThrow(
      new RangeError(
        "gradientPenaltyTerm: option 'seed' is not supported; the supported options are " +
          "'every', 'name', 'weight', 'epsilon', 'oneSided'.",
      ),
    );
  });
});

describe('r1PenaltyTerm', () => {
  it('adds γ/2·mean‖∇D(real)‖² under its name', async () => {
    // ∇ₓD = [4, 4] as above: ‖∇‖² = 32, R1 = 10/2·32 = 160.
    const t = trainer({ discriminatorTerms: [r1PenaltyTerm({ name: 'r1-real' })] }, [[3], [1]]);
    const real = tf.ones([2, 2]);
    expect((await t.step(real)).terms['r1-real']).toBeCloseTo(160, 3);
    real.dispose();
  });
});

describe('featureMatchingTerm', () => {
  it('matches the named or indexed layer through a sub-model sharing the weights', async () => {
    // G(z) = 0, so the fake features are [0, 0]; real x = [1, 1] gives W x = [2, 2].
    // Feature matching: (2 - 0)² + (2 - 0)² = 8, times weight 0.5 = 4.
    const term = featureMatchingTerm({ layer: 'features', weight: 0.5 });
    const byName = trainer({ generatorTerms: [term] });
    const byIndex = trainer({ generatorTerms: [featureMatchingTerm({ layer: 0, weight: 0.5 })] });
    const real = tf.ones([2, 2]);
    await expectNoLeaks(async () => {
      await byName.step(real); // the first step builds and caches the sub-model
    });
    expect((await byName.step(real)).terms['feature-matching']).toBeCloseTo(4, 5);
    expect((await byIndex.step(real)).terms['feature-matching']).toBeCloseTo(4, 5);
    real.dispose();
  });

  it('names the layers of the discriminator when the layer does not exist', async () => {
    const t = trainer({ generatorTerms: [featureMatchingTerm({ layer: 'hidden' })] });
    const real = tf.ones([2, 2]);
    await expect(t.step(real)).rejects.toThrow(
      new RangeError(
        "featureMatchingTerm: layer 'hidden' is not a layer of the discriminator; its layers are " +
          "'features', 'head'.",
      ),
    );
    real.dispose();
  });
});
