import * as tf from '@tensorflow/tfjs';

import { checkInteger } from '../errors';
import {
  checkInputRank,
  checkLayerArgs,
  singleShape,
  singleTensor,
  type BaseLayerArgs,
} from './layer-args';
import { registerLayer } from './register';

/**
 * Options of {@link PixelShuffle}.
 *
 * @category Layers
 */
export interface PixelShuffleLayerArgs extends BaseLayerArgs {
  /** The upscaling factor `r`, an integer ≥ 1. @defaultValue 2 */
  factor?: number;
}

/**
 * Pixel shuffle (depth to space): rearranges `[batch, h, w, c·r²]` into
 * `[batch, h·r, w·r, c]`, `y[b, h·r + i, w·r + j, k] = x[b, h, w, (i·r + j)·c + k]`, an
 * upsampling step with no checkerboard pattern when it follows a convolution (sub-pixel
 * convolution).
 *
 * The channel order is TensorFlow's `depth_to_space` (mode `DCR`) and matches
 * `tf.depthToSpace`; PyTorch's `PixelShuffle` orders channels differently
 * (`k·r² + i·r + j`), so weights ported from it need their output channels permuted. It is
 * built from a reshape and a transpose rather than `tf.depthToSpace` because TensorFlow.js
 * 4.22 registers no gradient for `DepthToSpace`.
 *
 * @see Shi et al. 2016, "Real-Time Single Image and Video Super-Resolution Using an Efficient
 * Sub-Pixel Convolutional Neural Network", https://arxiv.org/abs/1609.05158
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { PixelShuffle } from 'tfjs-gan';
 * const x = tf.tensor4d([1, 2, 3, 4], [1, 1, 1, 4]);
 * const y = new PixelShuffle({ factor: 2 }).apply(x) as tf.Tensor;
 * // [1, 2, 2, 1]: rows [1, 2] and [3, 4]
 * ```
 * @category Layers
 */
export class PixelShuffle extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'PixelShuffle';
  /** The upscaling factor `r`. */
  readonly factor: number;

  /**
   * @param args - see {@link PixelShuffleLayerArgs}.
   * @throws TypeError or RangeError for a bad option.
   */
  constructor(args: PixelShuffleLayerArgs = {}) {
    checkLayerArgs('PixelShuffle', args, ['factor']);
    super(args);
    this.factor = checkInteger('PixelShuffle', 'factor', args.factor ?? 2, 1);
  }

  /**
   * @returns `[batch, h·r, w·r, c]`.
   * @throws RangeError unless the input is `[batch, h, w, c·r²]`.
   */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, height, width, depth] = this.checkShape(singleShape(inputShape));
    const r = this.factor;
    return [batch, times(height, r), times(width, r), depth == null ? null : depth / (r * r)];
  }

  /** @returns the rearranged input, `[batch, h·r, w·r, c]`. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs);
      const [batch, height, width, depth] = this.checkShape(x.shape) as number[];
      const r = this.factor;
      const channels = depth / (r * r);
      // [b, h, w, c·r²] -> [b, h, w, r_i, r_j, c] -> [b, h, r_i, w, r_j, c] -> [b, h·r, w·r, c]
      const split = tf.reshape(x, [batch, height, width, r, r, channels]);
      const moved = tf.transpose(split, [0, 1, 3, 2, 4, 5]);
      return tf.reshape(moved, [batch, height * r, width * r, channels]);
    });
  }

  /** @returns the config, with `factor`, that rebuilds this layer. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }

  private checkShape(shape: tf.Shape): tf.Shape {
    checkInputRank('PixelShuffle', shape, [4]);
    const depth = shape[3];
    const square = this.factor * this.factor;
    if (depth != null && depth % square !== 0) {
      throw new RangeError(
        `PixelShuffle: input channels must be a multiple of factor² = ${square}, got ${depth}.`,
      );
    }
    return shape;
  }
}
registerLayer(PixelShuffle);

function times(size: number | null, factor: number): number | null {
  return size == null ? null : size * factor;
}

/**
 * Creates a {@link PixelShuffle} layer.
 *
 * @param args - see {@link PixelShuffleLayerArgs}.
 * @returns the layer: `[batch, h, w, c·r²]` → `[batch, h·r, w·r, c]`.
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { pixelShuffle } from 'tfjs-gan';
 * const features = tf.input({ shape: [8, 8, 64] });
 * const y = pixelShuffle({ factor: 2 }).apply(features); // [null, 16, 16, 16]
 * ```
 * @category Layers
 */
export function pixelShuffle(args?: PixelShuffleLayerArgs): PixelShuffle {
  return new PixelShuffle(args);
}
