import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { normalLatent, sphericalLatent, uniformLatent } from '../../src/hacks/latent';
import { expectNoLeaks } from '../helpers/leaks';

/** Row lengths of a `[n, d]` batch, as plain numbers. */
function rowNorms(z: tf.Tensor2D): number[] {
  return tf.tidy(() => Array.from(tf.norm(z, 'euclidean', 1).dataSync()));
}

describe('uniformLatent', () => {
  it('draws entries in [-1, 1) with mean near 0 and variance near 1/3', () => {
    // U[-1, 1) has mean 0 and variance (1 - (-1))² / 12 = 4/12 = 1/3. Over 200·50 = 10000
    // draws the sample mean has standard error √(1/3 / 10000) = 0.00577; 0.03 is 5 of them.
    const z = uniformLatent(200, 50, 7);
    const values = Array.from(z.dataSync());
    expect(z.shape).toEqual([200, 50]);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    // The variance estimate of U[-1,1) has standard error √((1/5 - 1/9) / 10000) = 0.0030
    // (fourth moment E[u⁴] = 1/5); 0.015 is 5 of them.
    expect(Math.abs(variance - 1 / 3)).toBeLessThan(0.015);
    z.dispose();
  });

  it('gives the same batch for the same seed', () => {
    const a = uniformLatent(4, 3, 11);
    const b = uniformLatent(4, 3, 11);
    expect(a.arraySync()).toEqual(b.arraySync());
    tf.dispose([a, b]);
  });

  it('rejects a batch size of 0 with the exact message', () => {
    expect(() => uniformLatent(0, 3, 1)).toThrow(
      new RangeError('uniformLatent: batchSize must be an integer >= 1, got 0.'),
    );
  });
});

describe('sphericalLatent', () => {
  it('puts every row on the sphere of radius √latentDim by default', () => {
    // latentDim = 16 → radius √16 = 4.
    const z = sphericalLatent()(10, 16, 3);
    for (const norm of rowNorms(z)) expect(norm).toBeCloseTo(4, 4);
    z.dispose();
  });

  it("puts every row on the unit sphere with radius 'unit'", () => {
    const z = sphericalLatent({ radius: 'unit' })(10, 16, 3);
    for (const norm of rowNorms(z)) expect(norm).toBeCloseTo(1, 5);
    z.dispose();
  });

  it('points in the direction of the normal draw of the same seed', () => {
    // z = r · n / ‖n‖ with n = normalLatent's draw for the same seed, so z / 4 = n / ‖n‖.
    const z = sphericalLatent()(3, 16, 9);
    const n = normalLatent(3, 16, 9);
    const expected = tf.tidy(() => tf.mul(tf.div(n, tf.norm(n, 'euclidean', 1, true)), 4));
    const got = z.dataSync();
    expected.dataSync().forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    tf.dispose([z, n, expected]);
  });

  it('leaks no tensors besides its result', async () => {
    const sample = sphericalLatent();
    await expectNoLeaks(() => sample(4, 8, 1).dispose());
  });

  it('rejects an unknown radius and an unknown option with the exact messages', () => {
    expect(() => sphericalLatent({ radius: 'two' as 'unit' })).toThrow(
      new RangeError("sphericalLatent: radius must be one of 'sqrt-d', 'unit', got 'two'."),
    );
    expect(() => sphericalLatent({ size: 2 } as object)).toThrow(
      new RangeError(
        "sphericalLatent: option 'size' is not supported; the supported options are 'radius'.",
      ),
    );
    expect(() => sphericalLatent()(2, 0, 1)).toThrow(
      new RangeError('sphericalLatent: latentDim must be an integer >= 1, got 0.'),
    );
  });
});
