import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { interpolationPath, lerp, slerp } from '../../src/hacks/interpolation';
import { expectNoLeaks } from '../helpers/leaks';

/** Runs an interpolation on plain arrays and returns plain arrays, disposing everything. */
function run(
  f: typeof slerp,
  a: number[] | number[][],
  b: number[] | number[][],
  t: number,
): number[] | number[][] {
  return tf.tidy(() => f(tf.tensor(a) as tf.Tensor2D, tf.tensor(b) as tf.Tensor2D, t).arraySync());
}

function norm(v: number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

function expectClose(got: number[], want: number[], digits = 5): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
}

describe('slerp', () => {
  const a = [0.3, -1.2, 2.5];
  const b = [-0.7, 0.4, 1.1];

  it('returns a exactly at t = 0 and b exactly at t = 1', () => {
    // Float32 values of a and b, as the tensors hold them.
    expect(run(slerp, a, b, 0)).toEqual(Array.from(Float32Array.from(a)));
    expect(run(slerp, a, b, 1)).toEqual(Array.from(Float32Array.from(b)));
  });

  it('returns a when a = b', () => {
    // Ω = 0 < 1e-4, so the lerp branch a + t·(b - a) = a + t·0 = a holds exactly.
    expect(run(slerp, a, a, 0.37)).toEqual(Array.from(Float32Array.from(a)));
  });

  it('gives [0.707107, 0.707107] halfway between [1, 0] and [0, 1]', () => {
    // Ω = π/2, sin Ω = 1; each coefficient is sin(π/4) / 1 = √2/2 = 0.707107.
    expectClose(run(slerp, [1, 0], [0, 1], 0.5) as number[], [0.707107, 0.707107], 6);
  });

  it('follows the circle at t = 1/3 between [1, 0] and [0, 1]', () => {
    // The point at angle t·Ω = π/6: [cos π/6, sin π/6] = [0.866025, 0.5].
    expectClose(run(slerp, [1, 0], [0, 1], 1 / 3) as number[], [0.866025, 0.5]);
  });

  it('keeps the norm when both ends share it', () => {
    // ‖[3, 4, 0]‖ = √(9 + 16) = 5 and ‖[0, 0, 5]‖ = 5, so every point has length 5.
    for (const t of [0.1, 0.3, 0.5, 0.9]) {
      expect(norm(run(slerp, [3, 4, 0], [0, 0, 5], t) as number[])).toBeCloseTo(5, 5);
    }
  });

  it('stays finite and linear for nearly parallel vectors', () => {
    // Ω ≈ 1e-6 / 1 = 1e-6 < 1e-4: lerp, so t = 0.5 gives [1, 0.5e-6].
    const got = run(slerp, [1, 0], [1, 1e-6], 0.5) as number[];
    expect(got.every(Number.isFinite)).toBe(true);
    expectClose(got, [1, 5e-7], 9);
  });

  it('turns through the first axis on which a is smallest for opposite vectors', () => {
    // a = [1, 0, 0]: |â| is smallest (0) on axes 1 and 2; the first is axis 1, so u = e₁ and
    // the point is cos(πt)·â + sin(πt)·u with length (1-t)·1 + t·1 = 1.
    // t = 0.5 → [cos π/2, sin π/2, 0] = [0, 1, 0]; t = 0.25 → [cos π/4, sin π/4, 0].
    expectClose(run(slerp, [1, 0, 0], [-1, 0, 0], 0.5) as number[], [0, 1, 0]);
    expectClose(run(slerp, [1, 0, 0], [-1, 0, 0], 0.25) as number[], [0.707107, 0.707107, 0]);
  });

  it('removes the component along a from the turning direction', () => {
    // a = [2, 1]: |â| is smallest on axis 1; â = [2, 1]/√5, u = e₁ - (1/√5)·â
    // = [0, 1] - [2/5, 1/5] = [-0.4, 0.8], normalised by √(0.16 + 0.64) = √0.8 = 0.894427:
    // u = [-0.447214, 0.894427]. b = -a, so the length stays √5 and t = 0.5 gives √5·u
    // = [-1, 2].
    expectClose(run(slerp, [2, 1], [-2, -1], 0.5) as number[], [-1, 2]);
  });

  it('goes through 0 for opposite vectors of length 1', () => {
    // latentDim = 1 has no orthogonal direction: the straight line, (1 - 0.5)·1 + 0.5·(-1) = 0.
    expectClose(run(slerp, [1], [-1], 0.5) as number[], [0]);
  });

  it('interpolates each row of a batch on its own', () => {
    // Row 0 as above: [0.707107, 0.707107]. Row 1: a = b = [2, 2] gives [2, 2].
    const got = run(
      slerp,
      [
        [1, 0],
        [2, 2],
      ],
      [
        [0, 1],
        [2, 2],
      ],
      0.5,
    ) as number[][];
    expectClose(got[0], [0.707107, 0.707107]);
    expectClose(got[1], [2, 2]);
  });

  it('leaks no tensors besides its result', async () => {
    const x = tf.tensor2d([
      [1, 0],
      [1, 0],
    ]);
    const y = tf.tensor2d([
      [0, 1],
      [-1, 0],
    ]);
    await expectNoLeaks(() => slerp(x, y, 0.4).dispose());
    tf.dispose([x, y]);
  });

  it('rejects mismatched shapes, a 3-D input and t = 2 with the exact messages', () => {
    const two = tf.tensor1d([1, 0]);
    const three = tf.tensor1d([1, 0, 0]);
    const cube = tf.zeros([1, 1, 2]) as unknown as tf.Tensor2D;
    expect(() => slerp(two, three, 0.5)).toThrow(
      new RangeError('slerp: a and b must have the same shape, got [2] and [3].'),
    );
    expect(() => slerp(cube, cube, 0.5)).toThrow(
      new RangeError('slerp: a must have shape [latentDim] or [batch, latentDim], got [1,1,2].'),
    );
    expect(() => slerp(two, two, 2)).toThrow(new RangeError('slerp: t must be in [0, 1], got 2.'));
    expect(() => slerp([1, 0] as unknown as tf.Tensor1D, two, 0)).toThrow(
      new TypeError('slerp: a must be a tf.Tensor, got [1,0].'),
    );
    tf.dispose([two, three, cube]);
  });
});

describe('lerp', () => {
  it('gives the midpoint [0.5, 0.5] between [1, 0] and [0, 1]', () => {
    // (1 - 0.5)·[1, 0] + 0.5·[0, 1] = [0.5, 0.5], of length √0.5 = 0.707 < 1.
    expect(run(lerp, [1, 0], [0, 1], 0.5)).toEqual([0.5, 0.5]);
  });

  it('returns a exactly at t = 0 and b exactly at t = 1', () => {
    const a = [0.1, 0.7];
    const b = [0.3, -0.9];
    expect(run(lerp, a, b, 0)).toEqual(Array.from(Float32Array.from(a)));
    expect(run(lerp, a, b, 1)).toEqual(Array.from(Float32Array.from(b)));
  });

  it('rejects mismatched shapes with the exact message', () => {
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    const y = tf.zeros([3, 3]) as tf.Tensor2D;
    expect(() => lerp(x, y, 0.5)).toThrow(
      new RangeError('lerp: a and b must have the same shape, got [2,3] and [3,3].'),
    );
    tf.dispose([x, y]);
  });
});

describe('interpolationPath', () => {
  it('gives count evenly spaced slerp points including both ends', () => {
    // t = 0, 1/4, 1/2, 3/4, 1 between [1, 0] and [0, 1] with Ω = π/2: the point at angle t·π/2,
    // [cos(tπ/2), sin(tπ/2)]: [1, 0], [0.923880, 0.382683], [0.707107, 0.707107],
    // [0.382683, 0.923880], [0, 1].
    const path = tf.tidy(() =>
      interpolationPath(tf.tensor1d([1, 0]), tf.tensor1d([0, 1]), 5).arraySync(),
    );
    expect(path[0]).toEqual([1, 0]);
    expect(path[4]).toEqual([0, 1]);
    expectClose(path[1], [0.92388, 0.382683]);
    expectClose(path[2], [0.707107, 0.707107]);
    expectClose(path[3], [0.382683, 0.92388]);
  });

  it('gives the straight line with method lerp', () => {
    // t = 0, 1/2, 1 between [2, 0] and [0, 4]: [2, 0], [1, 2], [0, 4].
    const lerpPath = (a: number[], b: number[]) =>
      interpolationPath(tf.tensor1d(a), tf.tensor1d(b), 3, { method: 'lerp' });
    const path = tf.tidy(() => lerpPath([2, 0], [0, 4]).arraySync());
    expect(path).toEqual([
      [2, 0],
      [1, 2],
      [0, 4],
    ]);
  });

  it('leaks no tensors besides its result', async () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.tensor1d([-3, 1, 0]);
    await expectNoLeaks(() => interpolationPath(a, b, 7).dispose());
    tf.dispose([a, b]);
  });

  it('rejects count 1, a batch and an unknown method with the exact messages', () => {
    const a = tf.tensor1d([1, 0]);
    const batch = tf.zeros([2, 2]) as unknown as tf.Tensor1D;
    expect(() => interpolationPath(a, a, 1)).toThrow(
      new RangeError('interpolationPath: count must be an integer >= 2, got 1.'),
    );
    expect(() => interpolationPath(batch, batch, 3)).toThrow(
      new RangeError('interpolationPath: a must have shape [latentDim], got [2,2].'),
    );
    expect(() => interpolationPath(a, a, 3, { method: 'cubic' as 'lerp' })).toThrow(
      new RangeError("interpolationPath: method must be one of 'slerp', 'lerp', got 'cubic'."),
    );
    tf.dispose([a, batch]);
  });
});
