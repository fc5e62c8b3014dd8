import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { modeSeekingLoss, modeSeekingTerm } from '../../src/hacks/mode-seeking';
import type { LossTermContext } from '../../src/losses/types';
import { expectNoLeaks } from '../helpers/leaks';

/** A context for a generator `G(z) = scale·z`; only the fields the term reads matter. */
function contextFor(scale: tf.Tensor | number, latents: tf.Tensor, seed = 1): LossTermContext {
  const generator = (z: tf.Tensor) => tf.mul(z, scale);
  return {
    generator,
    latents,
    fake: generator(latents),
    seed,
    step: 0,
  } as unknown as LossTermContext;
}

describe('modeSeekingLoss', () => {
  it('averages the per-pair ratios of sample to latent distance', () => {
    // Pair 0: mean|[1,2] - [0,0]| = 1.5 over mean|[1,1] - [0,0]| = 1 → 1.5.
    // Pair 1: mean|[0,0] - [0,4]| = 2 over mean|[0,0] - [0,1]| = 0.5 → 4.
    // L = 1 / ((1.5 + 4)/2 + 1e-5) = 1 / 2.75001 = 0.363635.
    const value = tf.tidy(
      () =>
        modeSeekingLoss(
          tf.tensor2d([
            [1, 2],
            [0, 0],
          ]),
          tf.tensor2d([
            [0, 0],
            [0, 4],
          ]),
          tf.tensor2d([
            [1, 1],
            [0, 0],
          ]),
          tf.tensor2d([
            [0, 0],
            [0, 1],
          ]),
        ).dataSync()[0],
    );
    expect(value).toBeCloseTo(0.363635, 5);
  });

  it('flattens image samples', () => {
    // Samples [1, 2, 2, 1] of 1s and 0s: mean|Δx| = 1; latents differ by 2: ratio 0.5.
    // L = 1 / (0.5 + 0.1) = 1.666667 with ε = 0.1.
    const value = tf.tidy(
      () =>
        modeSeekingLoss(
          tf.ones([1, 2, 2, 1]),
          tf.zeros([1, 2, 2, 1]),
          tf.tensor2d([[2]]),
          tf.tensor2d([[0]]),
          0.1,
        ).dataSync()[0],
    );
    expect(value).toBeCloseTo(1.666667, 5);
  });

  it('rejects a batch size mismatch with the exact message', () => {
    const x = tf.zeros([2, 3]);
    const z = tf.zeros([3, 2]);
    expect(() => modeSeekingLoss(x, x, z, z)).toThrow(
      new RangeError(
        'modeSeekingLoss: samplesA and latentsA must have the same batch size, ' +
          'got [2,3] and [3,2].',
      ),
    );
    tf.dispose([x, z]);
  });
});

describe('modeSeekingTerm', () => {
  const latents = [
    [0.5, -1],
    [2, 0],
    [-0.5, 3],
    [1, 1],
  ];

  it('pairs the halves of the batch: λ / (3 + ε) for G(z) = 3z', () => {
    // Every sample distance is 3 times its latent distance, so each ratio is 3:
    // 2 · 1/(3 + 1e-5) = 0.666664.
    const term = modeSeekingTerm({ weight: 2 });
    const value = tf.tidy(() => term.compute(contextFor(3, tf.tensor2d(latents))).dataSync()[0]);
    expect(value).toBeCloseTo(0.666664, 5);
    expect(term.name).toBe('mode-seeking');
  });

  it('pairs with a second latent batch under resample, with the same ratio', () => {
    // The ratio of G(z) = 3z is 3 for any pair of distinct latents: 1/(3 + 1e-5) = 0.333332.
    const term = modeSeekingTerm({ pairing: 'resample' });
    const value = tf.tidy(() => term.compute(contextFor(3, tf.tensor2d(latents), 5)).dataSync()[0]);
    expect(value).toBeCloseTo(0.333332, 5);
  });

  it('has the gradient -λ/(s + ε)² in the scale s of G(z) = s·z', () => {
    // L(s) = 1/(s + ε) → dL/ds = -1/(s + ε)² = -1/3.00001² = -0.111110 at s = 3.
    const term = modeSeekingTerm();
    const grad = tf.tidy(
      () =>
        tf
          .grad((s: tf.Tensor) => term.compute(contextFor(s, tf.tensor2d(latents))))(tf.scalar(3))
          .dataSync()[0],
    );
    expect(grad).toBeCloseTo(-0.11111, 5);
  });

  it('leaks no tensors besides its result', async () => {
    const z = tf.tensor2d(latents);
    for (const pairing of ['halves', 'resample'] as const) {
      const term = modeSeekingTerm({ pairing });
      await expectNoLeaks(() => tf.tidy(() => term.compute(contextFor(3, z))).dispose());
    }
    z.dispose();
  });

  it('rejects a batch of 1 and an unknown pairing with the exact messages', () => {
    const z = tf.tensor2d([[1, 2]]);
    expect(() => tf.tidy(() => modeSeekingTerm().compute(contextFor(3, z)))).toThrow(
      new RangeError("modeSeekingTerm: pairing 'halves' needs a batch of at least 2, got 1."),
    );
    expect(() => modeSeekingTerm({ pairing: 'all' as 'halves' })).toThrow(
      new RangeError("modeSeekingTerm: pairing must be one of 'halves', 'resample', got 'all'."),
    );
    z.dispose();
  });
});
