import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { infoGanCodes } from '../../src';
import { expectThrows } from '../helpers/fixtures/throws';
import { expectNoLeaks } from '../helpers/leaks';
import { track } from '../helpers/track';

// noise 4, then one-hots of 3 and 2 values, then 2 continuous codes: 4 + 3 + 2 + 2 = 11.
const spec = { categorical: [3, 2], continuous: 2, noiseDim: 4 };

describe('infoGanCodes', () => {
  it('sizes z and Q from the codes', () => {
    const codes = infoGanCodes(spec);
    expect(codes.latentDim).toBe(11);
    // Q: logits 3 + 2, one mean per continuous code: 5 + 2 = 7; with log-stds 5 + 2·2 = 9.
    expect(codes.auxiliaryDim).toBe(7);
    expect(infoGanCodes({ ...spec, learnedStd: true }).auxiliaryDim).toBe(9);
    expect(codes.categorical).toEqual([3, 2]);
  });

  it('samples noise, then one one-hot per categorical code, then uniform continuous codes', async () => {
    const codes = infoGanCodes(spec);
    const z = track(codes.sampler(200, 11, 7));
    expect(z.shape).toEqual([200, 11]);
    const rows = (await z.array()) as number[][];
    const seen = [new Set<number>(), new Set<number>()];
    for (const row of rows) {
      // Columns 4-6 and 7-8 are one-hot: values 0 or 1, summing to 1.
      for (const [c, [from, to]] of [
        [4, 7],
        [7, 9],
      ].entries()) {
        const block = row.slice(from, to);
        expect(block.every((v) => v === 0 || v === 1)).toBe(true);
        expect(block.reduce((a, b) => a + b, 0)).toBe(1);
        seen[c].add(block.indexOf(1));
      }
      for (const c of row.slice(9)) {
        expect(c).toBeGreaterThanOrEqual(-1);
        expect(c).toBeLessThan(1);
      }
    }
    // 200 draws miss a given value of 3 with probability (2/3)^200 ≈ 6e-36: all values appear.
    expect([...seen[0]].sort()).toEqual([0, 1, 2]);
    expect([...seen[1]].sort()).toEqual([0, 1]);
    // The noise is N(0, 1): the mean of 800 draws has standard deviation 1/√800 ≈ 0.035, so
    // |mean| < 0.2 (5.6 standard deviations) holds for any seed but a freak one.
    const noise = rows.flatMap((r) => r.slice(0, 4));
    expect(Math.abs(noise.reduce((a, b) => a + b, 0) / noise.length)).toBeLessThan(0.2);
  });

  it('gives the same latents for the same seed and others for another', async () => {
    const codes = infoGanCodes(spec);
    const [a, b, c] = [7, 7, 8].map((seed) => track(codes.sampler(5, 11, seed)));
    expect(await b.array()).toEqual(await a.array());
    expect(await c.array()).not.toEqual(await a.array());
    await expectNoLeaks(() => codes.sampler(5, 11, 7).dispose());
  });

  it('builds latents with chosen codes and noise', async () => {
    const codes = infoGanCodes(spec);
    const noise = track(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]));
    const z = track(
      codes.latents(2, { categorical: [[2, 0], 1], continuous: [0.5, [-1, 3]], noise, seed: 1 }),
    );
    // Row 1: noise 1-4, code 0 = 2 -> [0,0,1], code 1 = 1 -> [0,1], continuous 0.5 and -1.
    // Row 2: noise 5-8, code 0 = 0 -> [1,0,0], code 1 = 1 -> [0,1], continuous 0.5 and 3.
    expect(await z.array()).toEqual([
      [1, 2, 3, 4, 0, 0, 1, 0, 1, 0.5, -1],
      [5, 6, 7, 8, 1, 0, 0, 0, 1, 0.5, 3],
    ]);
    // Unchosen codes are drawn; the same seed draws the same.
    const [a, b] = [1, 1].map(() => track(codes.latents(3, { categorical: [1], seed: 4 })));
    expect(await a.array()).toEqual(await b.array());
    expect(((await a.array()) as number[][]).map((r) => r.slice(4, 7))).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    await expectNoLeaks(() => codes.latents(2, { noise, seed: 1 }).dispose());
  });

  it('refuses bad options and values with messages naming them', () => {
    expectThrows(
      () => infoGanCodes({ noiseDim: 4 }),
      RangeError,
      'infoGanCodes: give at least one code (categorical or continuous), got none.',
    );
    expectThrows(
      () => infoGanCodes({ noiseDim: 4, categorical: [1] }),
      RangeError,
      'infoGanCodes: categorical[0] must be an integer >= 2, got 1.',
    );
    const codes = infoGanCodes(spec);
    expectThrows(
      () => codes.sampler(2, 10, 1),
      RangeError,
      "infoGanCodes.sampler: latentDim must be the codes' latentDim, 11, got 10.",
    );
    expectThrows(
      () => codes.latents(2, { categorical: [3] }),
      RangeError,
      'infoGanCodes.latents: categorical[0] must be a value in [0, 2], got 3.',
    );
    expectThrows(
      () => codes.latents(2, { continuous: [[0, 1, 2]] }),
      RangeError,
      'infoGanCodes.latents: continuous[0] must have 2 values, got 3.',
    );
    const noise = track(tf.zeros([2, 3]));
    expectThrows(
      () => codes.latents(2, { noise }),
      RangeError,
      'infoGanCodes.latents: noise must be a tensor of shape [2,4], got [2,3].',
    );
  });
});
