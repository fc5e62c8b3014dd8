import * as tf from '@tensorflow/tfjs';

import { checkRange } from '../errors';
import { checkLayerArgs, type BaseLayerArgs } from './layer-args';
import { registerLayer } from './register';

/**
 * Options of {@link FadeIn}: the base layer arguments only (`name`, `trainable`, …).
 *
 * @category Layers
 */
export type FadeInLayerArgs = BaseLayerArgs;

/**
 * The weighted sum that fades a new block in (ProGAN): takes `[old, new]`, two tensors of the
 * same shape, and returns `(1 − α)·old + α·new`.
 *
 * `α` is a non-trainable scalar weight of the layer, so it is saved with the model's weights
 * (and in a {@link Trainer} checkpoint) and set with {@link FadeIn.alpha} between steps
 * without rebuilding anything. It starts at 0. At `α = 0` the output is `old` exactly and at
 * `α = 1` it is `new` exactly (the other term is multiplied by 0).
 *
 * @see Karras, Aila, Laine, Lehtinen 2018, "Progressive Growing of GANs for Improved Quality,
 * Stability, and Variation", section 3 and figure 2, https://arxiv.org/abs/1710.10196
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FadeIn } from 'tfjs-gan';
 * const fade = new FadeIn();
 * fade.alpha = 0.25;
 * const y = fade.apply([tf.ones([1, 2]), tf.zeros([1, 2])]) as tf.Tensor; // [[0.75, 0.75]]
 * ```
 * @category Layers
 */
export class FadeIn extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'FadeIn';
  private alphaWeight?: tf.LayerVariable;
  private pendingAlpha = 0;

  /**
   * @param args - see {@link FadeInLayerArgs}.
   * @throws TypeError or RangeError for an unknown option.
   */
  constructor(args: FadeInLayerArgs = {}) {
    checkLayerArgs('FadeIn', args, []);
    super(args);
  }

  /**
   * The weight `α` of the new input, in [0, 1]. Reading it reads the weight back from the
   * backend (one scalar, synchronously); setting it writes the weight.
   *
   * @throws RangeError when set outside [0, 1] (TypeError for a non-number).
   */
  get alpha(): number {
    return this.alphaWeight ? this.alphaWeight.read().dataSync()[0] : this.pendingAlpha;
  }

  /** Writes `α` (kept until the layer is built, if it is not yet). */
  set alpha(value: number) {
    const alpha = checkRange('FadeIn', 'alpha', value, 0, 1);
    if (this.alphaWeight) {
      const scalar = tf.scalar(alpha);
      this.alphaWeight.write(scalar);
      scalar.dispose();
    } else {
      this.pendingAlpha = alpha;
    }
  }

  /** Creates the `alpha` weight. */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    checkShapes(inputShape);
    this.alphaWeight = this.addWeight(
      'alpha',
      [],
      'float32',
      tf.initializers.constant({ value: this.pendingAlpha }),
      undefined,
      false,
    );
    this.built = true;
  }

  /**
   * @returns the shape of either input.
   * @throws RangeError unless there are two inputs of the same shape.
   */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return checkShapes(inputShape);
  }

  /** @returns `(1 − α)·old + α·new`. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      checkShapes(list.map((t) => t.shape));
      const alpha = this.alphaWeight!.read();
      // Two products rather than old + α·(new − old), so α = 1 gives `new` bit for bit.
      return tf.add(tf.mul(list[0], tf.sub(1, alpha)), tf.mul(list[1], alpha));
    });
  }
}
registerLayer(FadeIn);

function checkShapes(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  const shapes = Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[]) : [inputShape];
  const show = (s: tf.Shape) => `[${s.map((d) => (d == null ? '?' : d)).join(',')}]`;
  if (shapes.length !== 2) {
    throw new RangeError(
      `FadeIn: input must be a list of two tensors [old, new], got ${shapes.length} input(s).`,
    );
  }
  const [a, b] = shapes as tf.Shape[];
  const same = a.length === b.length && a.every((d, i) => d === b[i]);
  if (!same) {
    throw new RangeError(
      `FadeIn: old and new must have the same shape, got ${show(a)} and ${show(b)}.`,
    );
  }
  return a;
}

/**
 * Creates a {@link FadeIn} layer, with `α = 0`.
 *
 * @param args - see {@link FadeInLayerArgs}.
 * @returns the layer: `[old, new]` → `(1 − α)·old + α·new`, shaped like either input.
 * @throws TypeError or RangeError for an unknown option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { fadeIn } from 'tfjs-gan';
 * const old = tf.input({ shape: [8, 8, 1] });
 * const grown = tf.input({ shape: [8, 8, 1] });
 * const y = fadeIn().apply([old, grown]); // [null, 8, 8, 1]
 * ```
 * @category Layers
 */
export function fadeIn(args?: FadeInLayerArgs): FadeIn {
  return new FadeIn(args);
}
