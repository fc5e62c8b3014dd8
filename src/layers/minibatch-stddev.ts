import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkPositive } from '../errors';
import {
  checkInputRank,
  checkLayerArgs,
  singleShape,
  singleTensor,
  type BaseLayerArgs,
} from './layer-args';
import { registerLayer } from './register';

/**
 * Options of {@link MinibatchStdDev}.
 *
 * @category Layers
 */
export interface MinibatchStdDevLayerArgs extends BaseLayerArgs {
  /** Samples per group (ProGAN uses 4). @defaultValue 4 */
  groupSize?: number;
  /**
   * Added to each variance before the square root, so a constant group has a finite
   * gradient. @defaultValue 1e-8
   */
  epsilon?: number;
}

/** The largest divisor of `batch` that is at most `groupSize`. */
export function effectiveGroupSize(batch: number, groupSize: number): number {
  for (let size = Math.min(groupSize, batch); size > 1; size--) {
    if (batch % size === 0) return size;
  }
  return 1;
}

/**
 * Minibatch standard deviation (ProGAN): appends one feature holding, for each group of
 * samples, the mean over all features of the standard deviation across the group,
 * `s = mean_f( sqrt( mean_g((x_f − mean_g(x_f))²) + ε ) )`, so the discriminator can see how
 * varied a batch is and penalise a collapsed generator.
 *
 * Grouping follows ProGAN's reshape: with batch `N`, group size `G` and `M = N / G` groups,
 * group `m` holds samples `m, m + M, m + 2M, …` (a stride of `M`, not contiguous samples).
 * The deviation is the population one (divide by `G`). When `N` is not divisible by
 * `groupSize`, `G` is the largest divisor of `N` that is at most `groupSize` (a batch of 6
 * with `groupSize` 4 uses groups of 3; a prime batch larger than `groupSize` uses groups of
 * 1, whose deviation is `sqrt(ε)`). The same in training and inference.
 *
 * Input `[batch, features]` gives `[batch, features + 1]`; input
 * `[batch, height, width, channels]` gives `[batch, height, width, channels + 1]`, the new
 * channel constant over the image.
 *
 * @see Karras, Aila, Laine, Lehtinen 2018, "Progressive Growing of GANs for Improved Quality,
 * Stability, and Variation", section 3, https://arxiv.org/abs/1710.10196
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { MinibatchStdDev } from 'tfjs-gan';
 * const x = tf.tensor4d([1, 2, 3, 4], [4, 1, 1, 1]);
 * const y = new MinibatchStdDev({ groupSize: 4 }).apply(x) as tf.Tensor; // [4, 1, 1, 2]
 * // the second channel is the population std of [1, 2, 3, 4]: √1.25 ≈ 1.118 on every sample
 * ```
 * @category Layers
 */
export class MinibatchStdDev extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'MinibatchStdDev';
  /** Samples per group, before reduction to a divisor of the batch. */
  readonly groupSize: number;
  /** Added to each variance before the square root. */
  readonly epsilon: number;

  /**
   * @param args - see {@link MinibatchStdDevLayerArgs}.
   * @throws TypeError or RangeError for a bad option: `groupSize` not an integer ≥ 1,
   *   `epsilon` not > 0.
   */
  constructor(args: MinibatchStdDevLayerArgs = {}) {
    checkLayerArgs('MinibatchStdDev', args, ['groupSize', 'epsilon']);
    super(args);
    this.groupSize = checkInteger('MinibatchStdDev', 'groupSize', args.groupSize ?? 4, 1);
    this.epsilon = checkPositive('MinibatchStdDev', 'epsilon', args.epsilon ?? 1e-8);
  }

  /**
   * @returns the input shape with one more feature on the last axis.
   * @throws RangeError unless the input has rank 2 or 4.
   */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    checkRank(shape);
    const last = shape[shape.length - 1];
    return [...shape.slice(0, -1), last == null ? null : last + 1];
  }

  /** @returns the input with the group deviation appended on the last axis. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs);
      checkRank(x.shape);
      const [batch, ...features] = x.shape;
      const size = effectiveGroupSize(batch, this.groupSize);
      const groups = batch / size;
      // [N, ...F] -> [G, M, ...F]: sample g·M + m is member g of group m.
      const grouped = tf.reshape(x, [size, groups, ...features]);
      const variance = tf.moments(grouped, 0).variance; // [M, ...F]
      const std = tf.sqrt(tf.add(variance, this.epsilon));
      const perGroup = tf.mean(tf.reshape(std, [groups, -1]), 1); // [M]
      const perSample = tf.tile(perGroup, [size]); // [N]: sample i gets group i mod M
      const spatial = features.slice(0, -1);
      // [N] -> [N, 1] or [N, 1, 1, 1], then repeated over the image: [N, H, W, 1].
      const column = tf.reshape(perSample, [batch, ...spatial.map(() => 1), 1]);
      return tf.concat([x, tf.tile(column, [1, ...spatial, 1])], -1);
    });
  }

  /** @returns the config, with `groupSize` and `epsilon`, that rebuilds this layer. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groupSize: this.groupSize, epsilon: this.epsilon };
  }
}
registerLayer(MinibatchStdDev);

function checkRank(shape: readonly (number | null)[]): void {
  checkInputRank('MinibatchStdDev', shape, [2, 4]);
}

/**
 * Creates a {@link MinibatchStdDev} layer.
 *
 * @param args - see {@link MinibatchStdDevLayerArgs}.
 * @returns the layer: `[batch, …, c]` → `[batch, …, c + 1]`.
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { minibatchStdDev } from 'tfjs-gan';
 * const features = tf.input({ shape: [4, 4, 64] });
 * const y = minibatchStdDev({ groupSize: 4 }).apply(features); // [null, 4, 4, 65]
 * ```
 * @category Layers
 */
export function minibatchStdDev(args?: MinibatchStdDevLayerArgs): MinibatchStdDev {
  return new MinibatchStdDev(args);
}
