import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  crossEntropyDiscriminatorLoss,
  crossEntropyLoss,
  minimaxGeneratorLoss,
  minimaxLoss,
  nonSaturatingGeneratorLoss,
  nonSaturatingLoss,
} from '../../src/losses/cross-entropy';

const LN2 = Math.log(2); // 0.693147…

/** Value and gradients of the discriminator loss at one real and one fake logit. */
function discriminatorAt(real: number, fake: number, labelSmoothing = 0) {
  return tf.tidy(() => {
    const f = (r: tf.Tensor, g: tf.Tensor) =>
      crossEntropyDiscriminatorLoss(r, g, { labelSmoothing });
    const [dReal, dFake] = tf.grads(f)([tf.tensor1d([real]), tf.tensor1d([fake])]);
    const value = f(tf.tensor1d([real]), tf.tensor1d([fake]));
    return { value: value.dataSync()[0], dReal: dReal.dataSync()[0], dFake: dFake.dataSync()[0] };
  });
}

function generatorGradient(loss: (fake: tf.Tensor) => tf.Tensor, fake: number): number {
  return tf.tidy(
    () =>
      tf
        .grad(loss)(tf.tensor1d([fake]))
        .dataSync()[0],
  );
}

describe('crossEntropyDiscriminatorLoss', () => {
  it('gives 200 and a gradient of -1 for a real logit of -200', () => {
    // Real term softplus(-r) = softplus(200) = 200 + log(1 + e^-200) = 200; its derivative is
    // -sigmoid(-r) = -sigmoid(200) = -1. The fake logit -200 adds softplus(-200) = e^-200 ≈ 0.
    const { value, dReal } = discriminatorAt(-200, -200);
    expect(value).toBeCloseTo(200, 4);
    expect(dReal).toBeCloseTo(-1, 6);
  });

  it('gives 200 for a fake logit of 200, and a gradient of 1', () => {
    // Fake term softplus(200) = 200, derivative sigmoid(200) = 1; real logit 200 adds e^-200.
    const { value, dFake } = discriminatorAt(200, 200);
    expect(value).toBeCloseTo(200, 4);
    expect(dFake).toBeCloseTo(1, 6);
  });

  it('gives ln 2 for a logit of 0 on either side', () => {
    // softplus(-0) = softplus(0) = ln 2 = 0.693147; the other side's logit (±200) adds e^-200.
    expect(discriminatorAt(0, -200).value).toBeCloseTo(LN2, 6);
    expect(discriminatorAt(200, 0).value).toBeCloseTo(LN2, 6);
  });

  it('softens only the real target under label smoothing 0.1', () => {
    // Real target 0.9 at r = 2: softplus(r) - 0.9·r = 2.126928 - 1.8 = 0.326928.
    // Real logit 0 isolates the fake term: softplus(0) - 0.9·0 = ln 2, so r = 0, f = -2
    // gives ln 2 + softplus(-2) = 0.693147 + 0.126928 = 0.820075 (fake target still 0).
    expect(discriminatorAt(2, -200, 0.1).value).toBeCloseTo(0.326928, 5);
    const atZero = discriminatorAt(0, -2, 0.1);
    expect(atZero.value - LN2).toBeCloseTo(0.126928, 5);
    // d/dr = sigmoid(r) - 0.9 = 0.880797 - 0.9 = -0.019203; d/df = sigmoid(-2) = 0.119203,
    // the same as without smoothing.
    expect(discriminatorAt(2, -2, 0.1).dReal).toBeCloseTo(-0.019203, 5);
    expect(atZero.dFake).toBeCloseTo(0.119203, 5);
    expect(atZero.dFake).toBeCloseTo(discriminatorAt(0, -2).dFake, 7);
  });

  it('rejects label smoothing outside [0, 1), and unknown options', () => {
    const logits = tf.zeros([2]);
    expect(() => crossEntropyDiscriminatorLoss(logits, logits, { labelSmoothing: 1 })).toThrow(
      new RangeError('crossEntropyDiscriminatorLoss: labelSmoothing must be in [0, 1), got 1.'),
    );
    expect(() =>
      crossEntropyDiscriminatorLoss(logits, logits, { labelSmoothing: '0.1' as unknown as number }),
    ).toThrow(
      new TypeError(
        "crossEntropyDiscriminatorLoss: labelSmoothing must be a finite number, got '0.1'.",
      ),
    );
    const options = { smoothing: 0.1 } as unknown as { labelSmoothing: number };
    expect(() => crossEntropyDiscriminatorLoss(logits, logits, options)).toThrow(
      new RangeError(
        "crossEntropyDiscriminatorLoss: option 'smoothing' is not supported; the supported " +
          "options are 'reduction', 'weights', 'labelSmoothing'.",
      ),
    );
    logits.dispose();
  });
});

describe('minimaxGeneratorLoss and nonSaturatingGeneratorLoss', () => {
  it('give -ln 2 and ln 2 at a logit of 0', () => {
    // Minimax: -softplus(0) = -ln 2; non-saturating: softplus(-0) = ln 2.
    const zero = tf.zeros([1]);
    expect(minimaxGeneratorLoss(zero).dataSync()[0]).toBeCloseTo(-LN2, 6);
    expect(nonSaturatingGeneratorLoss(zero).dataSync()[0]).toBeCloseTo(LN2, 6);
    zero.dispose();
  });

  it('have gradients -sigmoid(-5) and -sigmoid(5) at a fake logit of -5, in the ratio e^5', () => {
    // d/df[-softplus(f)] = -sigmoid(f) = -sigmoid(-5) = -1/(1 + e^5) = -0.00669285;
    // d/df[softplus(-f)] = -sigmoid(-f) = -sigmoid(5) = -0.99330715;
    // ratio sigmoid(5)/sigmoid(-5) = (1 + e^5)/(1 + e^-5) = e^5 = 148.413159.
    const minimax = generatorGradient(minimaxGeneratorLoss, -5);
    const nonSaturating = generatorGradient(nonSaturatingGeneratorLoss, -5);
    expect(minimax).toBeCloseTo(-0.00669285, 7);
    expect(nonSaturating).toBeCloseTo(-0.99330715, 6);
    expect(nonSaturating / minimax / Math.exp(5)).toBeCloseTo(1, 5);
  });
});

describe('crossEntropyLoss', () => {
  it('never smooths the generator targets', () => {
    // Generator target stays 1: softplus(-(-2)) = softplus(2) = 2.126928.
    const fake = tf.tensor1d([-2]);
    const loss = crossEntropyLoss({ labelSmoothing: 0.1 });
    expect(loss.name).toBe('non-saturating, labelSmoothing 0.1');
    expect(loss.generatorLoss(fake).dataSync()[0]).toBeCloseTo(2.126928, 5);
    fake.dispose();
  });

  it('builds the default pairs with their names', () => {
    expect(nonSaturatingLoss.name).toBe('non-saturating');
    expect(minimaxLoss.name).toBe('minimax');
    expect(crossEntropyLoss({ generator: 'minimax' }).name).toBe('minimax');
    expect(Object.isFrozen(nonSaturatingLoss)).toBe(true);
  });

  it('rejects an unknown generator form', () => {
    expect(() => crossEntropyLoss({ generator: 'wasserstein' as 'minimax' })).toThrow(
      new RangeError(
        "crossEntropyLoss: generator must be one of 'non-saturating', 'minimax', got 'wasserstein'.",
      ),
    );
  });
});
