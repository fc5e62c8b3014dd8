import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { downsampleBlock, upsampleBlock, type BlockNorm } from '../../src/layers/blocks';
import { expectThrows } from '../helpers/fixtures/throws';

/** Class names of the layers a block adds after its input. */
function blockLayers(output: tf.SymbolicTensor, input: tf.SymbolicTensor): string[] {
  const model = tf.model({ inputs: input, outputs: output });
  return model.layers.slice(1).map((layer) => layer.getClassName());
}

describe('downsampleBlock', () => {
  it.each([
    ['batch', ['Conv2D', 'BatchNormalization', 'LeakyReLU'], false],
    ['instance', ['Conv2D', 'InstanceNormalization', 'LeakyReLU'], false],
    ['pixel', ['Conv2D', 'PixelNormalization', 'LeakyReLU'], true],
    ['layer', ['Conv2D', 'LayerNormalization', 'LeakyReLU'], true],
    ['none', ['Conv2D', 'LeakyReLU'], true],
  ] as const)('with norm %s stacks %j; conv bias %s', (norm, layers, bias) => {
    const input = tf.input({ shape: [8, 8, 3] });
    const y = downsampleBlock(input, { filters: 4, kernelSize: 3, norm: norm as BlockNorm });
    // Stride 2, 'same': 8 -> ceil(8 / 2) = 4.
    expect(y.shape).toEqual([null, 4, 4, 4]);
    expect(blockLayers(y, input)).toEqual(layers);
    const conv = tf.model({ inputs: input, outputs: y }).layers[1];
    // Kernel 3·3·3·4 = [3, 3, 3, 4], plus a bias [4] unless a mean-subtracting norm follows.
    const shapes = conv.getWeights().map((w) => w.shape);
    expect(shapes).toEqual(bias ? [[3, 3, 3, 4], [4]] : [[3, 3, 3, 4]]);
  });

  it('wraps the convolution in spectral normalisation when asked', () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const y = downsampleBlock(input, { filters: 4, norm: 'none', spectralNorm: true });
    expect(blockLayers(y, input)).toEqual(['SpectralNormalization', 'LeakyReLU']);
  });

  it('rejects bad options with exact messages', () => {
    const input = tf.input({ shape: [8, 8, 3] });
    expectThrows(
      () => downsampleBlock(input, { filters: 4, norm: 'group' as BlockNorm }),
      RangeError,
      "downsampleBlock: norm must be one of 'batch', 'instance', 'pixel', 'layer', 'none', " +
        "got 'group'.",
    );
    expectThrows(
      () => downsampleBlock(input, { filters: 0 }),
      RangeError,
      'downsampleBlock: filters must be an integer >= 1, got 0.',
    );
    expectThrows(
      () => upsampleBlock(input, { filters: 4, spectralNorm: 'yes' as never }),
      TypeError,
      "upsampleBlock: spectralNorm must be true or false, got 'yes'.",
    );
  });
});

describe('upsampleBlock', () => {
  it('doubles the image with a spectrally normalised deconvolution and pixel norm', async () => {
    const input = tf.input({ shape: [4, 4, 8] });
    const y = upsampleBlock(input, {
      filters: 2,
      kernelSize: 3,
      norm: 'pixel',
      activation: 'relu',
      spectralNorm: true,
    });
    // Stride 2, 'same': 4 -> 8.
    expect(y.shape).toEqual([null, 8, 8, 2]);
    expect(blockLayers(y, input)).toEqual([
      'SpectralNormalization',
      'PixelNormalization',
      'Activation',
    ]);
    const model = tf.model({ inputs: input, outputs: y });
    const out = model.predict(tf.ones([2, 4, 4, 8])) as tf.Tensor;
    expect(out.shape).toEqual([2, 8, 8, 2]);
    // ReLU output is never negative.
    expect(Math.min(...(await out.data()))).toBeGreaterThanOrEqual(0);
    out.dispose();
    model.dispose();
  });
});
