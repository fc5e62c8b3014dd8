import * as tf from '@tensorflow/tfjs';

import { checkBoolean, checkPositive } from '../errors';
import {
  checkInputRank,
  checkLayerArgs,
  singleShape,
  singleTensor,
  type BaseLayerArgs,
} from './layer-args';
import { registerLayer } from './register';

/**
 * Options of {@link InstanceNormalization}.
 *
 * @category Layers
 */
export interface InstanceNormalizationLayerArgs extends BaseLayerArgs {
  /** Added to the variance before the square root. @defaultValue 1e-5 */
  epsilon?: number;
  /** Learn a per-channel scale `γ` (initialised to 1). @defaultValue true */
  scale?: boolean;
  /** Learn a per-channel offset `β` (initialised to 0). @defaultValue true */
  center?: boolean;
}

/**
 * Instance normalisation: normalises each sample's channels over the spatial axes,
 * `y = γ · (x − mean_hw(x)) / sqrt(var_hw(x) + ε) + β`, with the mean and (population)
 * variance taken per sample and per channel, and `γ`, `β` learned per channel.
 *
 * It keeps no batch statistics, so it behaves the same in training and inference and does
 * not couple the samples of a batch: a good replacement for batch norm in a WGAN-GP critic
 * (where the penalty assumes samples are independent) and in style-transfer generators.
 * Input `[batch, height, width, channels]` or `[batch, steps, channels]`; the output has
 * the same shape. Weights: `gamma` and `beta`, each `[channels]`.
 *
 * @see Ulyanov, Vedaldi, Lempitsky 2016, "Instance Normalization: The Missing Ingredient for
 * Fast Stylization", https://arxiv.org/abs/1607.08022
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { InstanceNormalization } from 'tfjs-gan';
 * const x = tf.tensor4d([1, 3], [1, 2, 1, 1]);
 * const y = new InstanceNormalization().apply(x) as tf.Tensor;
 * // mean 2, variance 1: [(1 − 2), (3 − 2)] / √(1 + 1e-5) ≈ [-1, 1]
 * ```
 * @category Layers
 */
export class InstanceNormalization extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'InstanceNormalization';
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** Whether a scale `γ` is learned. */
  readonly scale: boolean;
  /** Whether an offset `β` is learned. */
  readonly center: boolean;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  /**
   * @param args - see {@link InstanceNormalizationLayerArgs}.
   * @throws TypeError or RangeError for a bad option.
   */
  constructor(args: InstanceNormalizationLayerArgs = {}) {
    checkLayerArgs('InstanceNormalization', args, ['epsilon', 'scale', 'center']);
    super(args);
    this.epsilon = checkPositive('InstanceNormalization', 'epsilon', args.epsilon ?? 1e-5);
    this.scale = checkBoolean('InstanceNormalization', 'scale', args.scale ?? true);
    this.center = checkBoolean('InstanceNormalization', 'center', args.center ?? true);
  }

  /**
   * Creates `gamma` and `beta`, `[channels]` each.
   *
   * @throws RangeError unless the input has rank 3 or 4 and a known channel count.
   */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    checkInputRank('InstanceNormalization', shape, [3, 4]);
    const channels = shape[shape.length - 1];
    if (channels == null) {
      throw new RangeError('InstanceNormalization: the channel count must be known, got null.');
    }
    if (this.scale) {
      this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
    }
    if (this.center) {
      this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    }
    this.built = true;
  }

  /** @returns the input shape. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  /** @returns the normalised input, shaped like it. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs);
      checkInputRank('InstanceNormalization', x.shape, [3, 4]);
      const spatialAxes = x.shape.slice(1, -1).map((_, i) => i + 1);
      const { mean, variance } = tf.moments(x, spatialAxes, true); // [N, 1(, 1), C]
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      if (this.gamma) y = tf.mul(y, this.gamma.read());
      if (this.beta) y = tf.add(y, this.beta.read());
      return y;
    });
  }

  /** @returns the config, with `epsilon`, `scale` and `center`, that rebuilds this layer. */
  override getConfig(): tf.serialization.ConfigDict {
    const own = { epsilon: this.epsilon, scale: this.scale, center: this.center };
    return { ...super.getConfig(), ...own };
  }
}
registerLayer(InstanceNormalization);

/**
 * Creates an {@link InstanceNormalization} layer.
 *
 * @param args - see {@link InstanceNormalizationLayerArgs}.
 * @returns the layer; its output has the input's shape.
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { instanceNormalization } from 'tfjs-gan';
 * const image = tf.input({ shape: [16, 16, 32] });
 * const y = instanceNormalization().apply(image); // [null, 16, 16, 32]
 * ```
 * @category Layers
 */
export function instanceNormalization(
  args?: InstanceNormalizationLayerArgs,
): InstanceNormalization {
  return new InstanceNormalization(args);
}
