import * as tf from '@tensorflow/tfjs';

import { checkPositive } from '../errors';
import { checkLayerArgs, singleTensor, type BaseLayerArgs } from './layer-args';
import { registerLayer } from './register';

/**
 * Options of {@link PixelNormalization}.
 *
 * @category Layers
 */
export interface PixelNormalizationLayerArgs extends BaseLayerArgs {
  /**
   * Added to the mean square before the square root, so a zero vector stays finite.
   * @defaultValue 1e-8
   */
  epsilon?: number;
}

/**
 * Pixelwise feature vector normalisation (ProGAN): scales the channel vector at each
 * position to unit root mean square, `y = x / sqrt(mean_c(x²) + ε)`, with the mean over the
 * last axis.
 *
 * Has no weights. Works on any input of rank ≥ 2 (`[batch, features]`,
 * `[batch, height, width, channels]`); the output has the input's shape. The same in
 * training and inference.
 *
 * @see Karras, Aila, Laine, Lehtinen 2018, "Progressive Growing of GANs for Improved Quality,
 * Stability, and Variation", section 4.2, https://arxiv.org/abs/1710.10196
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { PixelNormalization } from 'tfjs-gan';
 * const y = new PixelNormalization().apply(tf.tensor2d([[3, 4]])) as tf.Tensor;
 * // mean of squares (9 + 16) / 2 = 12.5: [3, 4] / √12.5 ≈ [0.849, 1.131]
 * ```
 * @category Layers
 */
export class PixelNormalization extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'PixelNormalization';
  /** Added to the mean square before the square root. */
  readonly epsilon: number;

  /**
   * @param args - see {@link PixelNormalizationLayerArgs}.
   * @throws TypeError or RangeError for a bad option, such as `epsilon` not > 0.
   */
  constructor(args: PixelNormalizationLayerArgs = {}) {
    checkLayerArgs('PixelNormalization', args, ['epsilon']);
    super(args);
    this.epsilon = checkPositive('PixelNormalization', 'epsilon', args.epsilon ?? 1e-8);
  }

  /** @returns the input shape. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  /** @returns `x / sqrt(mean_c(x²) + ε)`, shaped like `x`. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs);
      const meanSquare = tf.mean(tf.square(x), -1, true);
      return tf.mul(x, tf.rsqrt(tf.add(meanSquare, this.epsilon)));
    });
  }

  /** @returns the config, with `epsilon`, that rebuilds this layer. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
registerLayer(PixelNormalization);

/**
 * Creates a {@link PixelNormalization} layer.
 *
 * @param args - see {@link PixelNormalizationLayerArgs}.
 * @returns the layer; its output has the input's shape.
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { pixelNormalization } from 'tfjs-gan';
 * const z = tf.input({ shape: [128] });
 * const y = pixelNormalization().apply(z); // [null, 128]
 * ```
 * @category Layers
 */
export function pixelNormalization(args?: PixelNormalizationLayerArgs): PixelNormalization {
  return new PixelNormalization(args);
}
