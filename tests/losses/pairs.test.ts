import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { hingeDiscriminatorLoss, hingeGeneratorLoss } from '../../src/losses/hinge';
import {
  leastSquaresDiscriminatorLoss,
  leastSquaresGeneratorLoss,
} from '../../src/losses/least-squares';
import {
  relativisticAverageDiscriminatorLoss,
  relativisticAverageGeneratorLoss,
  relativisticAverageHingeDiscriminatorLoss,
  relativisticAverageHingeGeneratorLoss,
  relativisticAverageLoss,
} from '../../src/losses/relativistic';
import {
  wassersteinDiscriminatorLoss,
  wassersteinGeneratorLoss,
} from '../../src/losses/wasserstein';

function value(t: tf.Tensor): number {
  const [v] = t.dataSync();
  t.dispose();
  return v;
}

describe('wassersteinDiscriminatorLoss and wassersteinGeneratorLoss', () => {
  it('give mean(f) - mean(r) and -mean(f), with a gradient of -1/batch per fake logit', () => {
    const real = tf.tensor1d([1, 3]);
    const fake = tf.tensor1d([0, -2]);
    // L_D = (0 - 2)/2 - (1 + 3)/2 = -1 - 2 = -3; L_G = -(0 - 2)/2 = 1.
    expect(value(wassersteinDiscriminatorLoss(real, fake))).toBeCloseTo(-3, 6);
    expect(value(wassersteinGeneratorLoss(fake))).toBeCloseTo(1, 6);
    // d/df_i[-(f_0 + f_1)/2] = -1/2.
    const gradient = tf.grad((f: tf.Tensor) => wassersteinGeneratorLoss(f))(fake);
    expect(Array.from(gradient.dataSync())).toEqual([-0.5, -0.5]);
    tf.dispose([real, fake, gradient]);
  });
});

describe('hingeDiscriminatorLoss and hingeGeneratorLoss', () => {
  it('penalise only logits inside the margin', () => {
    const real = tf.tensor1d([0.5, 2]);
    const fake = tf.tensor1d([-0.5, -3]);
    // Per sample relu(1 - r) + relu(1 + f): [0.5 + 0.5, 0 + 0] = [1, 0]; mean 0.5.
    expect(value(hingeDiscriminatorLoss(real, fake))).toBeCloseTo(0.5, 6);
    // L_G = -mean(f) = -(-0.5 - 3)/2 = 1.75.
    expect(value(hingeGeneratorLoss(fake))).toBeCloseTo(1.75, 6);
    tf.dispose([real, fake]);
  });
});

describe('leastSquaresDiscriminatorLoss and leastSquaresGeneratorLoss', () => {
  it('pull real outputs to 1 and fake ones to 0, the generator to 1', () => {
    const real = tf.tensor1d([3, 1]);
    const fake = tf.tensor1d([2, 0]);
    // Per sample ½((r - 1)² + f²): [½(4 + 4), ½(0 + 0)] = [4, 0]; mean 2.
    expect(value(leastSquaresDiscriminatorLoss(real, fake))).toBeCloseTo(2, 6);
    // ½(f - 1)²: [½·1, ½·1]; mean 0.5.
    expect(value(leastSquaresGeneratorLoss(fake))).toBeCloseTo(0.5, 6);
    tf.dispose([real, fake]);
  });
});

describe('relativisticAverageDiscriminatorLoss and relativisticAverageGeneratorLoss', () => {
  it('compare each logit with the mean logit of the other side', () => {
    // real [1, 3] (mean 2), fake [-1, 0] (mean -0.5): r - mean(f) = [1.5, 3.5],
    // f - mean(r) = [-3, -2].
    const real = tf.tensor1d([1, 3]);
    const fake = tf.tensor1d([-1, 0]);
    // L_D per sample softplus(-(r - mean f)) + softplus(f - mean r):
    // [softplus(-1.5) + softplus(-3), softplus(-3.5) + softplus(-2)]
    // = [0.201413 + 0.048587, 0.029750 + 0.126928] = [0.250001, 0.156678]; mean 0.203340.
    expect(value(relativisticAverageDiscriminatorLoss(real, fake))).toBeCloseTo(0.20334, 5);
    // L_G per sample softplus(-(f - mean r)) + softplus(r - mean f):
    // [softplus(3) + softplus(1.5), softplus(2) + softplus(3.5)]
    // = [3.048587 + 1.701413, 2.126928 + 3.529750] = [4.750001, 5.656678]; mean 5.203340.
    expect(value(relativisticAverageGeneratorLoss(real, fake))).toBeCloseTo(5.20334, 5);
    tf.dispose([real, fake]);
  });

  it('needs the real logits in the pair generator loss, and says so', () => {
    const fake = tf.tensor1d([0]);
    expect(relativisticAverageLoss.needsRealLogitsForGenerator).toBe(true);
    expect(() => relativisticAverageLoss.generatorLoss(fake)).toThrow(
      new TypeError(
        'relativistic-average: generatorLoss needs realLogits as its second argument ' +
          '(the pair sets needsRealLogitsForGenerator), got undefined.',
      ),
    );
    fake.dispose();
  });
});

describe('relativisticAverageHingeDiscriminatorLoss and relativisticAverageHingeGeneratorLoss', () => {
  it('apply the hinge to the relative logits', () => {
    // real [0.5, 1] (mean 0.75), fake [0, -0.5] (mean -0.25): r - mean(f) = [0.75, 1.25],
    // f - mean(r) = [-0.75, -1.25].
    const real = tf.tensor1d([0.5, 1]);
    const fake = tf.tensor1d([0, -0.5]);
    // L_D: relu(1 - (r - mean f)) + relu(1 + (f - mean r)) = [0.25 + 0.25, 0 + 0]; mean 0.25.
    expect(value(relativisticAverageHingeDiscriminatorLoss(real, fake))).toBeCloseTo(0.25, 6);
    // L_G: relu(1 + (r - mean f)) + relu(1 - (f - mean r)) = [1.75 + 1.75, 2.25 + 2.25]
    // = [3.5, 4.5]; mean 4.
    expect(value(relativisticAverageHingeGeneratorLoss(real, fake))).toBeCloseTo(4, 6);
    tf.dispose([real, fake]);
  });
});
