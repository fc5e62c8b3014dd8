import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { draganPenalty, gradientPenalty } from '../../src/losses/gradient-penalty';
import { expectNoLeaks } from '../helpers/leaks';

/** The linear critic f(x) = w·x over samples [batch, 2]; ∇ₓf = w for every sample. */
function linearCritic(w: tf.Variable) {
  return (x: tf.Tensor) => tf.sum(tf.mul(x, w), 1);
}

/** Value and gradient with respect to w of a penalty of the linear critic. */
type Penalty = (critic: (x: tf.Tensor) => tf.Tensor) => tf.Scalar;

function withWeights(wValues: number[], penalty: Penalty) {
  const w = tf.tidy(() => tf.variable(tf.tensor1d(wValues)));
  const { value, grads } = tf.variableGrads(() => penalty(linearCritic(w)), [w]);
  const result = { value: value.dataSync()[0], gradient: Array.from(grads[w.name].dataSync()) };
  tf.dispose([w, value, grads[w.name]]);
  return result;
}

/** The critic f(x) = ½‖x‖² per sample; ∇ₓf = x. */
const halfSquaredNorm = (x: tf.Tensor) =>
  tf.mul(0.5, tf.sum(tf.square(tf.reshape(x, [x.shape[0], -1])), 1));

describe('gradientPenalty', () => {
  it('gives 10·(5 - 1)² = 160 for a linear critic w = [3, 4], whatever the interpolation', () => {
    // ∇ₓ(w·x) = w everywhere, ‖w‖ = sqrt(9 + 16) = 5 (the 1e-10 epsilon is far below float32
    // resolution at 25): 10·(5 - 1)² = 160 for every α. dP/dw = 10·2·(‖w‖ - 1)·w/‖w‖
    // = 20·4·[3, 4]/5 = [48, 64].
    const real = tf.tensor2d([
      [1, -2],
      [0.5, 3],
      [-1, -1],
    ]);
    const fake = tf.tensor2d([
      [4, 0],
      [-3, 2],
      [2, 5],
    ]);
    for (const seed of [1, 2, 3]) {
      const { value, gradient } = withWeights([3, 4], (critic) =>
        gradientPenalty(critic, real, fake, { weight: 10, seed }),
      );
      expect(value).toBeCloseTo(160, 3);
      expect(gradient[0]).toBeCloseTo(48, 3);
      expect(gradient[1]).toBeCloseTo(64, 3);
    }
    tf.dispose([real, fake]);
  });

  it('gives 10 (up to epsilon) and a finite, zero gradient for a critic with w = [0, 0]', () => {
    // ∇ₓf = 0: ‖∇‖ = sqrt(0 + 1e-10) = 1e-5, so P = 10·(1e-5 - 1)² = 9.9998. dP/dw =
    // 20·(‖∇‖ - 1)·w/‖∇‖ = 0; without the epsilon, d sqrt(s)/ds at s = 0 is infinite and
    // the chain rule gives ∞·0 = NaN.
    const real = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const fake = tf.tensor2d([
      [0, 1],
      [1, 0],
    ]);
    const { value, gradient } = withWeights([0, 0], (critic) =>
      gradientPenalty(critic, real, fake, { seed: 1 }),
    );
    expect(value).toBeCloseTo(9.9998, 4);
    expect(gradient.every(Number.isFinite)).toBe(true);
    expect(gradient.map(Math.abs)).toEqual([0, 0]);
    tf.dispose([real, fake]);
  });

  it('takes the norm per sample over all non-batch axes, not over the whole batch', () => {
    // f(x) = ½‖x‖² has ∇ₓf = x; with real = fake, x̂ = real for any α. Per-sample norms
    // ‖[3, 4]‖ = 5 and ‖[0.6, 0.8]‖ = 1: P = 10·((5 - 1)² + (1 - 1)²)/2 = 10·16/2 = 80.
    // One norm over the batch would be sqrt(25 + 1) = 5.0990 and give 10·4.0990² = 168.02.
    const samples = [
      [3, 4],
      [0.6, 0.8],
    ];
    for (const shape of [
      [2, 2],
      [2, 1, 2, 1],
    ]) {
      const x = tf.tensor(samples.flat(), shape);
      const penalty = gradientPenalty(halfSquaredNorm, x, x, { weight: 10, seed: 5 });
      const result = penalty.dataSync()[0];
      expect(result).toBeCloseTo(80, 3);
      expect(Math.abs(result - 168.02)).toBeGreaterThan(80);
      tf.dispose([x, penalty]);
    }
  });

  it('draws one interpolation weight in [0, 1] per sample, shared by its features', () => {
    // real = 0 and fake = 1 make x̂ = α: every feature of a sample holds its own α.
    const real = tf.zeros([4, 2, 3]);
    const fake = tf.ones([4, 2, 3]);
    let seen: number[][][] = [];
    const critic = (x: tf.Tensor) => {
      seen = x.arraySync() as number[][][];
      return tf.sum(tf.reshape(x, [4, 6]), 1);
    };
    tf.dispose(gradientPenalty(critic, real, fake, { seed: 3 }));
    const alphas = seen.map((sample) => sample.flat());
    for (const features of alphas) {
      expect(new Set(features).size).toBe(1);
      expect(features[0]).toBeGreaterThanOrEqual(0);
      expect(features[0]).toBeLessThanOrEqual(1);
    }
    expect(new Set(alphas.map((features) => features[0])).size).toBe(4);
    tf.dispose([real, fake]);
  });

  it('penalises only norms above 1 when one-sided', () => {
    const real = tf.tensor2d([[1, 2]]);
    const fake = tf.tensor2d([[2, 1]]);
    // ‖w‖ = 0.5 < 1: max(0, 0.5 - 1)² = 0. ‖w‖ = 5: 10·max(0, 4)² = 160, as two-sided.
    const oneSided: Penalty = (c) => gradientPenalty(c, real, fake, { oneSided: true });
    const below = withWeights([0.3, 0.4], oneSided);
    const above = withWeights([3, 4], oneSided);
    expect(below.value).toBe(0);
    expect(below.gradient).toEqual([0, 0]);
    expect(above.value).toBeCloseTo(160, 3);
    tf.dispose([real, fake]);
  });

  it('leaks no tensors and disposes no input', async () => {
    const real = tf.randomNormal([3, 2], 0, 1, 'float32', 1);
    const fake = tf.randomNormal([3, 2], 0, 1, 'float32', 2);
    await expectNoLeaks(() =>
      withWeights([1, 2], (c) => gradientPenalty(c, real, fake, { seed: 1 })),
    );
    expect(real.isDisposed || fake.isDisposed).toBe(false);
    tf.dispose([real, fake]);
  });

  it('throws for real and fake of different shapes, naming both', () => {
    const real = tf.zeros([8, 28, 28, 1]);
    const fake = tf.zeros([8, 32, 32, 1]);
    expect(() => gradientPenalty(halfSquaredNorm, real, fake)).toThrow(
      new RangeError(
        'gradientPenalty: real and fake must have the same shape, got [8,28,28,1] and [8,32,32,1].',
      ),
    );
    tf.dispose([real, fake]);
  });

  it('throws for a critic that does not return one logit per sample, and for bad options', () => {
    const x = tf.zeros([2, 3]);
    expect(() => gradientPenalty((s) => tf.mul(s, 2), x, x)).toThrow(
      new RangeError(
        "gradientPenalty: the critic's output must have shape [2] or [2,1], got [2,3].",
      ),
    );
    expect(() => gradientPenalty('critic' as never, x, x)).toThrow(
      new TypeError("gradientPenalty: critic must be a function, got 'critic'."),
    );
    expect(() => gradientPenalty(halfSquaredNorm, x, x, { epsilon: 0 })).toThrow(
      new RangeError('gradientPenalty: epsilon must be > 0, got 0.'),
    );
    expect(() => gradientPenalty(halfSquaredNorm, x, x, { weight: -1 })).toThrow(
      new RangeError('gradientPenalty: weight must be >= 0, got -1.'),
    );
    expect(() => gradientPenalty(halfSquaredNorm, x, x, { lambda: 10 } as never)).toThrow(
      new RangeError(
        "gradientPenalty: option 'lambda' is not supported; the supported options are " +
          "'weight', 'epsilon', 'oneSided', 'seed'.",
      ),
    );
    x.dispose();
  });
});

describe('draganPenalty', () => {
  it('gives 10·(‖w‖ - 1)² for a linear critic, wherever the perturbed points fall', () => {
    // ∇ₓ(w·x) = w at every point: ‖[3, 4]‖ = 5 gives 10·16 = 160 and dP/dw = [48, 64] as for
    // the gradient penalty; ‖[0.6, 0.8]‖ = 1 gives 0 (up to 10·(1 - sqrt(1 + 1e-10))² ≈ 0).
    const real = tf.tensor2d([
      [1, -2],
      [0.5, 3],
      [-1, -1],
    ]);
    const steep = withWeights([3, 4], (c) => draganPenalty(c, real, { seed: 4 }));
    expect(steep.value).toBeCloseTo(160, 3);
    expect(steep.gradient[0]).toBeCloseTo(48, 3);
    expect(steep.gradient[1]).toBeCloseTo(64, 3);
    const flat = withWeights([0.6, 0.8], (c) => draganPenalty(c, real, { seed: 4 }));
    expect(flat.value).toBeCloseTo(0, 5);
    real.dispose();
  });

  it('samples points between each real sample and its perturbation by at most c·std', () => {
    // real = [[0, 0], [0, 2]]: population std over the batch = sqrt(mean(x²) - mean(x)²)
    // = sqrt(1 - 0.25) = 0.8660; with c = 0.5 each feature moves by α·0.5·0.866·u ∈ [0, 0.4330].
    const real = tf.tensor2d([
      [0, 0],
      [0, 2],
    ]);
    let seen: number[][] = [];
    const critic = (x: tf.Tensor) => {
      seen = x.arraySync() as number[][];
      return tf.sum(x, 1);
    };
    tf.dispose(draganPenalty(critic, real, { seed: 9 }));
    const start = [
      [0, 0],
      [0, 2],
    ];
    seen.forEach((sample, i) =>
      sample.forEach((v, j) => {
        expect(v - start[i][j]).toBeGreaterThanOrEqual(0);
        expect(v - start[i][j]).toBeLessThanOrEqual(0.4331);
      }),
    );
    real.dispose();
  });
});
