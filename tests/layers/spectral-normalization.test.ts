import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  SpectralNormalization,
  spectralNormalization,
} from '../../src/layers/spectral-normalization';
import { expectThrows } from '../helpers/fixtures/throws';
import { expectNoLeaks } from '../helpers/leaks';

/** A dense 2 → 2 layer with kernel diag(3, 1) and zero bias, wrapped; u starts at [1, 1]. */
function diagonalDense(powerIterations = 1): SpectralNormalization {
  const layer = spectralNormalization({
    layer: tf.layers.dense({ units: 2, useBias: false }),
    powerIterations,
  });
  tf.dispose(layer.apply(tf.zeros([1, 2])) as tf.Tensor);
  layer.setWeights([
    tf.tensor2d([
      [3, 0],
      [0, 1],
    ]),
    tf.tensor1d([1, 1]),
  ]);
  return layer;
}

async function values(layer: tf.layers.Layer, x: tf.Tensor, training: boolean): Promise<number[]> {
  const y = layer.apply(x, { training }) as tf.Tensor;
  const data = Array.from(await y.data());
  y.dispose();
  return data;
}

describe('SpectralNormalization', () => {
  it('divides a dense kernel by its top singular value once u has converged', async () => {
    const layer = diagonalDense();
    const x = tf.tensor2d([[1, 1]]);
    // K = diag(3, 1), KᵀK = diag(9, 1): each step scales u's second/first ratio by 1/9, so
    // from [1, 1] ten steps leave 9⁻¹⁰ ≈ 3e-10, and σ = ‖K·û‖ = 3 to float precision.
    for (let i = 0; i < 10; i++) await values(layer, x, true);
    // Inference: x·W / 3 = [1·3, 1·1] / 3 = [1, 0.333333].
    expect(await values(layer, x, false)).toEqual([1, 1 / 3].map((v) => expect.closeTo(v, 6)));
    // u is the top right singular vector e₁ (up to sign).
    const u = await layer.getWeights()[1].data();
    expect(Array.from(u).map(Math.abs)).toEqual([1, 0].map((v) => expect.closeTo(v, 6)));
    layer.dispose();
    x.dispose();
  });

  it('moves u one step per training call and never in inference', async () => {
    const layer = diagonalDense();
    const x = tf.tensor2d([[1, 0]]);
    // Inference with u = [1, 1]: û = [1, 1]/√2, K·û = [3, 1]/√2, σ = √(10/2) = √5;
    // output x·W/σ = [3, 0]/√5 = [1.341641, 0]. u stays [1, 1].
    const first = [3 / Math.sqrt(5), 0];
    expect(await values(layer, x, false)).toEqual(first.map((v) => expect.closeTo(v, 5)));
    expect(Array.from(await layer.getWeights()[1].data())).toEqual([1, 1]);
    // One training step: v ∝ K·[1, 1] = [3, 1]; û ∝ Kᵀ·v = [9, 1] -> û = [9, 1]/√82;
    // σ = ‖K·û‖ = ‖[27, 1]‖/√82 = √(730/82) = 2.983695; output [3/σ, 0] = [1.005465, 0].
    const sigma = Math.sqrt(730 / 82);
    expect(await values(layer, x, true)).toEqual([3 / sigma, 0].map((v) => expect.closeTo(v, 5)));
    const u = Array.from(await layer.getWeights()[1].data());
    expect(u).toEqual([9 / Math.sqrt(82), 1 / Math.sqrt(82)].map((v) => expect.closeTo(v, 6)));
    // The same weights in inference give the same output as that training call.
    expect(await values(layer, x, false)).toEqual([3 / sigma, 0].map((v) => expect.closeTo(v, 5)));
    layer.dispose();
    x.dispose();
  });

  it('leaks no tensors in a training call, which replaces u', async () => {
    const layer = diagonalDense();
    const x = tf.tensor2d([[1, 1]]);
    await expectNoLeaks(async () => {
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      y.dispose();
    });
    layer.dispose();
    x.dispose();
  });

  it('passes gradients to the wrapped kernel through W / σ(W)', async () => {
    const layer = diagonalDense(20);
    const x = tf.tensor2d([[1, 1]]);
    await values(layer, x, true); // û = e₁ after 20 steps
    await expectNoLeaks(async () => {
      // f(W) = sum(x·W) / σ(W), σ = ‖W·û‖ with û = e₁ held fixed = ‖first column of W‖,
      // so dσ/dW_i0 = W_i0 / σ = [3, 0] / 3 = [1, 0] and dσ/dW_i1 = 0: dσ/dW = e₁e₁ᵀ.
      // sum(x·W) = 3 + 1 = 4 and d/dW_ij sum(x·W) = x_i = 1, so
      // df/dW = 1/σ − 4/σ²·dσ/dW = [[1/3 − 4/9, 1/3], [1/3, 1/3]] = [[−1/9, 1/3], [1/3, 1/3]].
      const { value, grads } = tf.variableGrads(
        () => tf.sum(layer.apply(x, { training: false }) as tf.Tensor) as tf.Scalar,
      );
      const kernel = layer.trainableWeights[0].read() as tf.Variable;
      expect(Object.keys(grads)).toEqual([kernel.name]);
      expect(Array.from(await grads[kernel.name].data())).toEqual(
        [-1 / 9, 1 / 3, 1 / 3, 1 / 3].map((v) => expect.closeTo(v, 5)),
      );
      tf.dispose([value, ...Object.values(grads)]);
    });
    layer.dispose();
    x.dispose();
  });

  it('normalises conv2d and conv2dTranspose kernels reshaped per output channel', async () => {
    // A 1×1 conv from 2 to 1 channel with kernel [3, 4]: K = [[3], [4]] ([kh·kw·in, filters]),
    // σ = 5, so the kernel becomes [0.6, 0.8] and input [1, 1] gives 1.4.
    const conv = new SpectralNormalization({
      layer: tf.layers.conv2d({ filters: 1, kernelSize: 1, useBias: false }),
      powerIterations: 3,
    });
    const x = tf.ones([1, 1, 1, 2]);
    tf.dispose(conv.apply(x) as tf.Tensor);
    conv.setWeights([tf.tensor4d([3, 4], [1, 1, 2, 1]), tf.tensor1d([1])]);
    expect(await values(conv, x, true)).toEqual([expect.closeTo(1.4, 5)]);
    // conv2dTranspose from 2 channels to 1, kernel stored [kh, kw, filters 1, in 2] = [3, 4]:
    // moved to [1, 1, 2, 1], K = [[3], [4]], σ = 5; same output 1.4 (one position).
    const deconv = spectralNormalization({
      layer: tf.layers.conv2dTranspose({ filters: 1, kernelSize: 1, strides: 1, useBias: false }),
    });
    tf.dispose(deconv.apply(x) as tf.Tensor);
    expect(deconv.getWeights().map((w) => w.shape)).toEqual([[1, 1, 1, 2], [1]]);
    deconv.setWeights([tf.tensor4d([3, 4], [1, 1, 1, 2]), tf.tensor1d([1])]);
    expect(await values(deconv, x, true)).toEqual([expect.closeTo(1.4, 5)]);
    tf.dispose([x]);
    conv.dispose();
    deconv.dispose();
  });

  it('trains the wrapped kernel and moves u under model.fit', async () => {
    const layer = diagonalDense();
    const input = tf.input({ shape: [2] });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const x = tf.tensor2d([[1, 1]]);
    const target = tf.tensor2d([[0, 0]]);
    await model.fit(x, target, { epochs: 1, batchSize: 1, verbose: 0 });
    const [kernel, u] = layer.getWeights();
    // The loss is not flat in W (its gradient is not zero), so SGD changes diag(3, 1),
    // and fit's training call moved u off [1, 1] (one step gives [9, 1]/√82, see above).
    expect(Array.from(await kernel.data())).not.toEqual([3, 0, 0, 1]);
    expect(Array.from(await u.data())).not.toEqual([1, 1]);
    tf.dispose([x, target]);
    model.dispose();
  });

  it('exposes the wrapped weights as trainable and u as non-trainable', () => {
    const layer = spectralNormalization({ layer: tf.layers.dense({ units: 3 }), seed: 1 });
    layer.apply(tf.input({ shape: [4] }));
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[4, 3], [3]]);
    expect(layer.nonTrainableWeights.map((w) => w.shape)).toEqual([[3]]);
  });

  it('round-trips its config, the wrapped layer included', () => {
    const layer = new SpectralNormalization({
      layer: tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
      powerIterations: 2,
      seed: 5,
    });
    const config = layer.getConfig();
    const copy = SpectralNormalization.fromConfig(
      SpectralNormalization,
      config,
    ) as SpectralNormalization;
    expect(copy.layer.getClassName()).toBe('Conv2D');
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(layer.getConfig()).toMatchObject({ powerIterations: 2, epsilon: 1e-12, seed: 5 });
  });

  it('rejects a layer it cannot wrap with an exact message', () => {
    expectThrows(
      () => new SpectralNormalization({ layer: tf.layers.flatten() }),
      TypeError,
      'SpectralNormalization: layer must be a Dense, Conv2D or Conv2DTranspose layer, ' +
        'got a Flatten layer.',
    );
    expectThrows(
      () => new SpectralNormalization({ layer: 'dense' as never }),
      TypeError,
      "SpectralNormalization: layer must be a Dense, Conv2D or Conv2DTranspose layer, got 'dense'.",
    );
    expectThrows(
      () => spectralNormalization({ layer: tf.layers.dense({ units: 1 }), powerIterations: 0 }),
      RangeError,
      'SpectralNormalization: powerIterations must be an integer >= 1, got 0.',
    );
  });
});
