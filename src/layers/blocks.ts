import * as tf from '@tensorflow/tfjs';

import { checkBoolean, checkInteger, checkOneOf, checkOptions, checkRange } from '../errors';
import { instanceNormalization } from './instance-normalization';
import { pixelNormalization } from './pixel-normalization';
import { spectralNormalization } from './spectral-normalization';

/**
 * Normalisation applied inside a block: `'batch'` (batch statistics, moving averages for
 * inference), `'instance'` ({@link InstanceNormalization}: per sample and channel over the
 * image), `'pixel'` ({@link PixelNormalization}: per position over the channels), `'layer'`
 * (`tf.layers.layerNormalization` over height, width and channels of each sample, with a
 * learned scale and offset per element) or `'none'`.
 *
 * @category Layers
 */
export type BlockNorm = 'batch' | 'instance' | 'pixel' | 'layer' | 'none';

const NORMS: readonly BlockNorm[] = ['batch', 'instance', 'pixel', 'layer', 'none'];
const ACTIVATIONS: readonly BlockActivation[] = ['relu', 'leakyRelu', 'tanh', 'linear'];
const OPTION_KEYS = [
  'filters',
  'kernelSize',
  'strides',
  'norm',
  'activation',
  'leakyReluAlpha',
  'batchNormMomentum',
  'kernelInitializer',
  'spectralNorm',
];

/** Activation applied at the end of a block. @category Layers */
export type BlockActivation = 'relu' | 'leakyRelu' | 'tanh' | 'linear';

/**
 * Options shared by the convolution blocks.
 *
 * @category Layers
 */
export interface ConvBlockOptions {
  /** Output channels. */
  filters: number;
  /** Square kernel side. @defaultValue 5 */
  kernelSize?: number;
  /** Stride in both directions. @defaultValue 2 */
  strides?: number;
  /** Normalisation after the convolution. @defaultValue 'batch' */
  norm?: BlockNorm;
  /** Activation after the normalisation. @defaultValue 'leakyRelu' */
  activation?: BlockActivation;
  /** Negative slope of leaky ReLU. @defaultValue 0.2 */
  leakyReluAlpha?: number;
  /** Batch-norm momentum of the moving statistics (Keras convention). @defaultValue 0.9 */
  batchNormMomentum?: number;
  /** Kernel initialiser; DCGAN uses `N(0, 0.02)`. @defaultValue glorotUniform */
  kernelInitializer?: ReturnType<typeof tf.initializers.randomNormal>;
  /**
   * Wrap the convolution in {@link SpectralNormalization} (SN-GAN). @defaultValue false
   */
  spectralNorm?: boolean;
}

function checkBlockOptions(where: string, options: ConvBlockOptions): void {
  checkOptions(where, options, OPTION_KEYS);
  checkInteger(where, 'filters', options.filters, 1);
  if (options.kernelSize !== undefined) checkInteger(where, 'kernelSize', options.kernelSize, 1);
  if (options.strides !== undefined) checkInteger(where, 'strides', options.strides, 1);
  if (options.norm !== undefined) checkOneOf(where, 'norm', options.norm, NORMS);
  if (options.activation !== undefined) {
    checkOneOf(where, 'activation', options.activation, ACTIVATIONS);
  }
  if (options.leakyReluAlpha !== undefined) {
    checkRange(where, 'leakyReluAlpha', options.leakyReluAlpha, 0, 1);
  }
  if (options.batchNormMomentum !== undefined) {
    checkRange(where, 'batchNormMomentum', options.batchNormMomentum, 0, 1);
  }
  if (options.spectralNorm !== undefined) {
    checkBoolean(where, 'spectralNorm', options.spectralNorm);
  }
}

/**
 * The convolution's arguments. No bias when batch or instance norm follows: both subtract a
 * per-channel mean, which cancels a per-channel bias exactly (batch norm's offset replaces it).
 */
function convArgs(options: ConvBlockOptions) {
  const norm = options.norm ?? 'batch';
  return {
    filters: options.filters,
    kernelSize: options.kernelSize ?? 5,
    strides: options.strides ?? 2,
    padding: 'same' as const,
    useBias: norm !== 'batch' && norm !== 'instance',
    kernelInitializer: options.kernelInitializer ?? 'glorotUniform',
  };
}

function convolve(x: tf.SymbolicTensor, conv: tf.layers.Layer, options: ConvBlockOptions) {
  const layer = options.spectralNorm ? spectralNormalization({ layer: conv }) : conv;
  return layer.apply(x) as tf.SymbolicTensor;
}

function normLayer(options: ConvBlockOptions): tf.layers.Layer | null {
  switch (options.norm ?? 'batch') {
    case 'batch':
      return tf.layers.batchNormalization({
        momentum: options.batchNormMomentum ?? 0.9,
        epsilon: 1e-5,
      });
    case 'instance':
      return instanceNormalization({ epsilon: 1e-5 });
    case 'pixel':
      return pixelNormalization();
    case 'layer':
      return tf.layers.layerNormalization({ axis: [1, 2, 3], epsilon: 1e-5 });
    default:
      return null;
  }
}

/**
 * The normalisation and activation that end every block, on their own: for a feature map
 * `[batch, height, width, channels]` that was made by some other layer (e.g. a dense layer
 * reshaped to a seed grid).
 *
 * @param x - a symbolic input `[batch, height, width, channels]`.
 * @param options - `norm`, `activation`, `leakyReluAlpha` and `batchNormMomentum` of
 * {@link ConvBlockOptions} (`filters` and the convolution options are ignored).
 * @returns the symbolic output, same shape as `x`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { normActivation } from 'tfjs-gan';
 * const seed = tf.input({ shape: [7, 7, 128] });
 * const y = normActivation(seed, { filters: 128, norm: 'pixel', activation: 'relu' });
 * ```
 * @category Layers
 */
export function normActivation(x: tf.SymbolicTensor, options: ConvBlockOptions): tf.SymbolicTensor {
  const norm = normLayer(options);
  const y = norm ? (norm.apply(x) as tf.SymbolicTensor) : x;
  return activationLayer(options.activation ?? 'leakyRelu', options.leakyReluAlpha ?? 0.2).apply(
    y,
  ) as tf.SymbolicTensor;
}

/**
 * The layer for one of the block activations.
 *
 * @param activation - which activation.
 * @param leakyReluAlpha - negative slope for `'leakyRelu'`.
 * @returns a layer with no weights.
 * @example
 * ```ts
 * import { activationLayer } from 'tfjs-gan';
 * const layer = activationLayer('leakyRelu', 0.2);
 * ```
 * @category Layers
 */
export function activationLayer(
  activation: BlockActivation,
  leakyReluAlpha = 0.2,
): tf.layers.Layer {
  if (activation === 'leakyRelu') return tf.layers.leakyReLU({ alpha: leakyReluAlpha });
  return tf.layers.activation({ activation });
}

/**
 * A strided convolution, then normalisation and activation: the DCGAN discriminator's
 * downsampling block (strided convolution instead of pooling).
 *
 * With `'same'` padding and stride `s`, `[batch, h, w, c]` becomes
 * `[batch, ceil(h / s), ceil(w / s), filters]`. The convolution has no bias when batch or
 * instance normalisation follows, since subtracting the per-channel mean cancels it. With
 * `spectralNorm: true` the convolution is wrapped in {@link SpectralNormalization}.
 *
 * @param x - a symbolic input `[batch, height, width, channels]`.
 * @param options - see {@link ConvBlockOptions}.
 * @returns the block's symbolic output.
 * @throws TypeError or RangeError for a bad option (unknown key, `filters` not an integer ≥ 1,
 *   `norm` or `activation` not one of the listed values).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { downsampleBlock } from 'tfjs-gan';
 * const input = tf.input({ shape: [28, 28, 1] });
 * const y = downsampleBlock(input, { filters: 64, norm: 'none' }); // [null, 14, 14, 64]
 * ```
 * @category Layers
 */
export function downsampleBlock(
  x: tf.SymbolicTensor,
  options: ConvBlockOptions,
): tf.SymbolicTensor {
  checkBlockOptions('downsampleBlock', options);
  return normActivation(convolve(x, tf.layers.conv2d(convArgs(options)), options), options);
}

/**
 * A transposed convolution, then normalisation and activation: the DCGAN generator's
 * upsampling block.
 *
 * With `'same'` padding and stride `s`, `[batch, h, w, c]` becomes
 * `[batch, h·s, w·s, filters]`. Bias and spectral normalisation as in {@link downsampleBlock}.
 *
 * @param x - a symbolic input `[batch, height, width, channels]`.
 * @param options - see {@link ConvBlockOptions}.
 * @returns the block's symbolic output.
 * @throws TypeError or RangeError for a bad option (unknown key, `filters` not an integer ≥ 1,
 *   `norm` or `activation` not one of the listed values).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { upsampleBlock } from 'tfjs-gan';
 * const input = tf.input({ shape: [7, 7, 128] });
 * const y = upsampleBlock(input, { filters: 64, activation: 'relu' }); // [null, 14, 14, 64]
 * ```
 * @category Layers
 */
export function upsampleBlock(x: tf.SymbolicTensor, options: ConvBlockOptions): tf.SymbolicTensor {
  checkBlockOptions('upsampleBlock', options);
  return normActivation(
    convolve(x, tf.layers.conv2dTranspose(convArgs(options)), options),
    options,
  );
}
