import * as tf from '@tensorflow/tfjs';

import { describeValue } from '../errors';

/** The fields of tfjs-layers' `Conv2D` and `Dense` that the separate forward pass reads. */
interface ProductLayer {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { apply(x: tf.Tensor): tf.Tensor };
  strides?: [number, number];
  padding?: 'same' | 'valid';
  dataFormat?: string;
  dilationRate?: [number, number];
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
}

/** Marks layers already changed, so a second call leaves them as they are. */
const SEPARATED = Symbol('tfjs-gan.separateBiasAdd');

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** Conv2D: `conv2d`, then `add(bias)`, then the activation, as three taped ops. */
function separateConv(layer: ProductLayer): void {
  if (layer.dataFormat !== 'channelsLast') return;
  layer.call = (inputs) =>
    tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const kernel = layer.kernel.read() as tf.Tensor4D;
      let y: tf.Tensor = tf.conv2d(
        x,
        kernel,
        layer.strides!,
        layer.padding!,
        'NHWC',
        layer.dilationRate,
      );
      if (layer.bias) y = tf.add(y, layer.bias.read());
      return layer.activation.apply(y);
    });
}

/** Dense on `[batch, features]`: `matMul`, then `add(bias)`, then the activation. */
function separateDense(layer: ProductLayer): void {
  const fused = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const x = single(inputs);
    // Other ranks keep the stock path, which reshapes around its product.
    if (x.rank !== 2) return fused(inputs, kwargs);
    return tf.tidy(() => {
      let y: tf.Tensor = tf.matMul(x as tf.Tensor2D, layer.kernel.read() as tf.Tensor2D);
      if (layer.bias) y = tf.add(y, layer.bias.read());
      return layer.activation.apply(y);
    });
  };
}

function layersOf(layer: tf.layers.Layer): tf.layers.Layer[] {
  const inner = (layer as { layer?: unknown }).layer;
  const nested = layer instanceof tf.LayersModel ? layer.layers : [];
  return [
    layer,
    ...(inner instanceof tf.layers.Layer ? layersOf(inner) : []),
    ...nested.flatMap(layersOf),
  ];
}

/**
 * Makes every `Conv2D` and `Dense` layer of a model compute its product, its bias add and its
 * activation as separate operations, so that back-propagation computes only the gradients
 * that are asked for.
 *
 * TensorFlow.js runs these layers through its fused kernels, whose gradient computes the
 * gradients of the input, the weights and the bias all at once. A GAN's generator update
 * differentiates through the discriminator only with respect to its input, so the fused
 * path spends about a tenth of a DCGAN step on discriminator weight gradients nobody reads;
 * likewise the latent's gradient in the generator's first dense layer. The separate
 * operations give the same values up to float rounding. {@link DCGAN} and {@link MlpGAN}
 * call this on the models they build; call it on your own models, or on models loaded from
 * disk, for the same saving.
 *
 * @param model - a layers model; its layers are changed in place (their `call`), its
 *   weights and its saved form are not. Layers in nested models and inside wrappers such as
 *   {@link SpectralNormalization} are included; `channelsFirst` convolutions and dense layers
 *   on inputs of rank other than 2 keep the stock path.
 * @returns the same model, for chaining.
 * @throws TypeError when `model` is not a `tf.LayersModel`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { separateBiasAdds } from 'tfjs-gan';
 * const critic = separateBiasAdds(
 *   tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] }),
 * );
 * ```
 * @category Layers
 */
export function separateBiasAdds<M extends tf.LayersModel>(model: M): M {
  if (!(model instanceof tf.LayersModel)) {
    throw new TypeError(
      `separateBiasAdds: model must be a tf.LayersModel, got ${describeValue(model)}.`,
    );
  }
  for (const layer of model.layers.flatMap(layersOf)) {
    const marked = layer as unknown as { [SEPARATED]?: boolean };
    if (marked[SEPARATED]) continue;
    const name = layer.getClassName();
    if (name === 'Conv2D') separateConv(layer as unknown as ProductLayer);
    else if (name === 'Dense') separateDense(layer as unknown as ProductLayer);
    else continue;
    marked[SEPARATED] = true;
  }
  return model;
}
