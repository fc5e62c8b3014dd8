import * as tf from '@tensorflow/tfjs';

/** Normalisation applied inside a block. @category Layers */
export type BlockNorm = 'batch' | 'none';

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
}

/** The convolution's arguments; no bias when batch norm follows, since its offset replaces it. */
function convArgs(options: ConvBlockOptions) {
  return {
    filters: options.filters,
    kernelSize: options.kernelSize ?? 5,
    strides: options.strides ?? 2,
    padding: 'same' as const,
    useBias: (options.norm ?? 'batch') !== 'batch',
    kernelInitializer: options.kernelInitializer ?? 'glorotUniform',
  };
}

function finish(x: tf.SymbolicTensor, options: ConvBlockOptions): tf.SymbolicTensor {
  let y = x;
  if ((options.norm ?? 'batch') === 'batch') {
    y = tf.layers
      .batchNormalization({ momentum: options.batchNormMomentum ?? 0.9, epsilon: 1e-5 })
      .apply(y) as tf.SymbolicTensor;
  }
  return activationLayer(options.activation ?? 'leakyRelu', options.leakyReluAlpha ?? 0.2)
    .apply(y) as tf.SymbolicTensor;
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
export function activationLayer(activation: BlockActivation, leakyReluAlpha = 0.2): tf.layers.Layer {
  if (activation === 'leakyRelu') return tf.layers.leakyReLU({ alpha: leakyReluAlpha });
  return tf.layers.activation({ activation });
}

/**
 * A strided convolution, then normalisation and activation: the DCGAN discriminator's
 * downsampling block (strided convolution instead of pooling).
 *
 * With `'same'` padding and stride `s`, `[batch, h, w, c]` becomes
 * `[batch, ceil(h / s), ceil(w / s), filters]`. The convolution has no bias when batch
 * normalisation follows, since the norm's offset replaces it.
 *
 * @param x - a symbolic input `[batch, height, width, channels]`.
 * @param options - see {@link ConvBlockOptions}.
 * @returns the block's symbolic output.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { downsampleBlock } from 'tfjs-gan';
 * const input = tf.input({ shape: [28, 28, 1] });
 * const y = downsampleBlock(input, { filters: 64, norm: 'none' }); // [null, 14, 14, 64]
 * ```
 * @category Layers
 */
export function downsampleBlock(x: tf.SymbolicTensor, options: ConvBlockOptions): tf.SymbolicTensor {
  return finish(tf.layers.conv2d(convArgs(options)).apply(x) as tf.SymbolicTensor, options);
}

/**
 * A transposed convolution, then normalisation and activation: the DCGAN generator's
 * upsampling block.
 *
 * With `'same'` padding and stride `s`, `[batch, h, w, c]` becomes
 * `[batch, h·s, w·s, filters]`.
 *
 * @param x - a symbolic input `[batch, height, width, channels]`.
 * @param options - see {@link ConvBlockOptions}.
 * @returns the block's symbolic output.
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
  return finish(tf.layers.conv2dTranspose(convArgs(options)).apply(x) as tf.SymbolicTensor, options);
}
