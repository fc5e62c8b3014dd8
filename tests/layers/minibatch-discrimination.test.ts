import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  MinibatchDiscrimination,
  minibatchDiscrimination,
} from '../../src/layers/minibatch-discrimination';
import { expectThrows } from '../helpers/fixtures/throws';
import { expectNoLeaks } from '../helpers/leaks';

describe('MinibatchDiscrimination', () => {
  it('appends Σ_j exp(−L1 distance) for one kernel of one row', async () => {
    const layer = new MinibatchDiscrimination({ numKernels: 1, kernelDim: 1 });
    const x = tf.tensor2d([[0], [1], [3]]);
    layer.apply(x);
    layer.setWeights([tf.tensor3d([[[1]]])]); // T = 1: M_i = x_i
    const y = layer.apply(x) as tf.Tensor;
    // Distances: |0−1| = 1, |0−3| = 3, |1−3| = 2; the j = i term is exp(0) = 1.
    // o_0 = 1 + e⁻¹ + e⁻³, o_1 = e⁻¹ + 1 + e⁻², o_2 = e⁻³ + e⁻² + 1.
    const e = Math.exp;
    const expected = [0, 1 + e(-1) + e(-3), 1, e(-1) + 1 + e(-2), 3, e(-3) + e(-2) + 1];
    expect(y.shape).toEqual([3, 2]);
    expect(Array.from(await y.data())).toEqual(expected.map((v) => expect.closeTo(v, 6)));
    tf.dispose([x, y]);
    layer.dispose();
  });

  it('projects with T [A, B, C] and sums the L1 distance over each row of C', async () => {
    // A = 2, B = 2, C = 2. T[a] is a 2×2 matrix: T[0] = [[1, 0], [2, 0]], T[1] = [[0, 1], [0, 0]].
    // M_i,0 = x_i0·[1, 0] + x_i1·[0, 1] = [x_i0, x_i1]; M_i,1 = x_i0·[2, 0] = [2·x_i0, 0].
    const layer = minibatchDiscrimination({ numKernels: 2, kernelDim: 2 });
    const x = tf.tensor2d([
      [1, 2],
      [0, 0],
    ]);
    layer.apply(x);
    layer.setWeights([tf.tensor3d([1, 0, 2, 0, 0, 1, 0, 0], [2, 2, 2])]);
    await expectNoLeaks(async () => {
      const y = layer.apply(x) as tf.Tensor;
      // Row 0: M_0 = [1, 2], M_1 = [0, 0], L1 = 3 -> o_·0 = 1 + e⁻³ for both samples.
      // Row 1: M_0 = [2, 0], M_1 = [0, 0], L1 = 2 -> o_·1 = 1 + e⁻² for both samples.
      const o = [1 + Math.exp(-3), 1 + Math.exp(-2)];
      expect(Array.from(await y.data())).toEqual(
        [1, 2, ...o, 0, 0, ...o].map((v) => expect.closeTo(v, 6)),
      );
      y.dispose();
    });
    x.dispose();
    layer.dispose();
  });

  it('builds a kernel [A, B, C] and reports [batch, A + B]', () => {
    const layer = minibatchDiscrimination({ numKernels: 5, kernelDim: 3, seed: 1 });
    const y = layer.apply(tf.input({ shape: [7] })) as tf.SymbolicTensor;
    expect(y.shape).toEqual([null, 12]);
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[7, 5, 3]]);
    layer.dispose();
  });

  it('passes gradients to the kernel', async () => {
    const layer = minibatchDiscrimination({ numKernels: 1, kernelDim: 1 });
    const x = tf.tensor2d([[0], [1]]);
    layer.apply(x);
    layer.setWeights([tf.tensor3d([[[1]]])]);
    // With T = t: o_0 = o_1 = 1 + e^(−|t|·1), sum(y) = 0 + 1 + 2·(1 + e^(−t)) for t > 0;
    // d/dt = −2·e^(−t) = −2·e⁻¹ = −0.735759 at t = 1.
    const total = () => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar;
    const { grads, value } = tf.variableGrads(total);
    const kernelGrad = grads[(layer.trainableWeights[0].read() as tf.Variable).name];
    expect(Array.from(await kernelGrad.data())).toEqual([expect.closeTo(-2 * Math.exp(-1), 6)]);
    tf.dispose([x, value, ...Object.values(grads)]);
    layer.dispose();
  });

  it('round-trips its config', () => {
    const layer = new MinibatchDiscrimination({ numKernels: 4, kernelDim: 2, seed: 3 });
    const copy = MinibatchDiscrimination.fromConfig(MinibatchDiscrimination, layer.getConfig());
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(layer.getConfig()).toMatchObject({ numKernels: 4, kernelDim: 2, seed: 3 });
  });

  it('rejects bad options and inputs with exact messages', () => {
    expectThrows(
      () => new MinibatchDiscrimination({ numKernels: 0, kernelDim: 2 }),
      RangeError,
      'MinibatchDiscrimination: numKernels must be an integer >= 1, got 0.',
    );
    expectThrows(
      () => new MinibatchDiscrimination(undefined as never),
      TypeError,
      'MinibatchDiscrimination: options must be an object, got undefined.',
    );
    expectThrows(
      () =>
        minibatchDiscrimination({ numKernels: 1, kernelDim: 1 }).apply(
          tf.input({ shape: [2, 2, 1] }),
        ),
      RangeError,
      'MinibatchDiscrimination: input must have shape [batch,features], got [?,2,2,1].',
    );
  });
});
