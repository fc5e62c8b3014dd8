import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { spectralNormalization } from '../../src/layers/spectral-normalization';
import { separateBiasAdds } from '../../src/layers/separate-bias';
import { DCGAN } from '../../src/models/dcgan';
import { expectNoLeaks } from '../helpers/leaks';

/** A small critic with a biased relu convolution, a spectrally normalised one and a dense head. */
function critic(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const input = tf.input({ shape: [8, 8, 2] });
  let x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(1),
      biasInitializer: tf.initializers.constant({ value: 0.1 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const wrapped = spectralNormalization({
    layer: tf.layers.conv2d({
      filters: 3,
      kernelSize: 3,
      padding: 'valid',
      kernelInitializer: init(2),
    }),
  });
  x = wrapped.apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const logit = tf.layers
    .dense({ units: 1, activation: 'tanh', kernelInitializer: init(3) })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logit });
}

/** The same network with the stock layers: rebuilt from its JSON with the same weights. */
async function stockCopy(model: tf.LayersModel): Promise<tf.LayersModel> {
  const copy = await tf.models.modelFromJSON({ modelTopology: model.toJSON(null, false) } as never);
  copy.setWeights(model.getWeights());
  return copy;
}

/** Names of the kernels that ran while `f` ran. */
async function kernelsRun(f: () => tf.TensorContainer): Promise<string[]> {
  const info = await tf.profile(() => f() as tf.Tensor);
  return info.kernelNames;
}

describe('separateBiasAdds', () => {
  it('gives the stock output and weight gradients up to float rounding', async () => {
    const model = critic();
    const stock = await stockCopy(model);
    separateBiasAdds(model);
    const x = tf.randomNormal([3, 8, 8, 2], 0, 1, 'float32', 4);
    const outputs = [model, stock].map((m) => m.apply(x, { training: true }) as tf.Tensor);
    expect(outputs[0].shape).toEqual([3, 1]);
    expect(tf.max(tf.abs(tf.sub(outputs[0], outputs[1]))).dataSync()[0]).toBeLessThan(1e-6);
    const grads = [model, stock].map(
      (m) =>
        tf.variableGrads(
          () => tf.sum(m.apply(x) as tf.Tensor) as tf.Scalar,
          m.trainableWeights.map((w) => w.read() as tf.Variable),
        ).grads,
    );
    const names = Object.keys(grads[0]);
    // Both have the same 6 trainable tensors: two conv kernels and biases, dense kernel and bias.
    expect(names).toHaveLength(6);
    Object.values(grads[1]).forEach((g, i) => {
      const ours = Object.values(grads[0])[i];
      expect(tf.max(tf.abs(tf.sub(ours, g))).dataSync()[0]).toBeLessThan(1e-5);
    });
    tf.dispose([x, ...outputs, ...grads.flatMap((g) => Object.values(g))]);
    model.dispose();
    stock.dispose();
  });

  it('computes no filter gradient when only the input gradient is asked for', async () => {
    const model = critic();
    const stock = await stockCopy(model);
    separateBiasAdds(model);
    const x = tf.randomNormal([2, 8, 8, 2], 0, 1, 'float32', 5);
    const inputGradient = (m: tf.LayersModel) => () =>
      tf.grad((v: tf.Tensor) => tf.sum(m.apply(v) as tf.Tensor))(x);
    // The stock fused layers compute every gradient of each convolution; the separate ones
    // only the input's, so neither Conv2DBackpropFilter nor the dense weight product runs.
    expect(await kernelsRun(inputGradient(stock))).toContain('Conv2DBackpropFilter');
    expect(await kernelsRun(inputGradient(model))).not.toContain('Conv2DBackpropFilter');
    x.dispose();
    model.dispose();
    stock.dispose();
  });

  it('is what DCGAN builds, changes each layer once, and leaks nothing', async () => {
    const gan = new DCGAN({ imageShape: [8, 8, 1], baseFilters: 4, latentDim: 3, seed: 1 });
    const once = separateBiasAdds(gan.discriminator);
    expect(once).toBe(gan.discriminator);
    const x = tf.randomUniform([2, 8, 8, 1], -1, 1, 'float32', 6);
    const names = await kernelsRun(() =>
      tf.grad((v: tf.Tensor) => tf.sum(gan.discriminator.apply(v) as tf.Tensor))(x),
    );
    expect(names).toContain('Conv2DBackpropInput');
    expect(names).not.toContain('Conv2DBackpropFilter');
    await expectNoLeaks(() => (gan.discriminator.apply(x) as tf.Tensor).dispose());
    x.dispose();
    gan.dispose();
  });

  it('refuses a value that is not a layers model', () => {
    expect(() => separateBiasAdds({} as tf.LayersModel)).toThrow(
      'separateBiasAdds: model must be a tf.LayersModel, got an object.',
    );
  });
});
