import * as tf from '@tensorflow/tfjs';

import { checkInteger } from '../errors';
import {
  checkInputRank,
  checkLayerArgs,
  singleShape,
  singleTensor,
  type BaseLayerArgs,
} from '../layers/layer-args';
import { registerLayer } from '../layers/register';

/**
 * Options of {@link Maxout}.
 *
 * @category Layers
 */
export interface MaxoutLayerArgs extends BaseLayerArgs {
  /** `k`, the number of pieces each output is the maximum of; an integer >= 1. */
  pieces: number;
}

/**
 * Maxout over groups of features: input `[batch, units·k]` gives `[batch, units]`, output
 * `j` being `max_{i<k} x[j·k + i]`. After a dense layer of `units·k` outputs this is the
 * maxout unit of Goodfellow et al., the activation of the discriminators in the VEEGAN and
 * PacGAN mixture experiments. Has no weights; the same in training and inference.
 *
 * @see Goodfellow, Warde-Farley, Mirza, Courville, Bengio 2013, "Maxout Networks",
 *   https://arxiv.org/abs/1302.4389
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Maxout } from 'tfjs-gan';
 * const y = new Maxout({ pieces: 2 }).apply(tf.tensor2d([[1, 5, 4, 2]])) as tf.Tensor;
 * // [[5, 4]]: max(1, 5) and max(4, 2)
 * ```
 * @category Layers
 */
export class Maxout extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'Maxout';
  /** Pieces per output. */
  readonly pieces: number;

  /**
   * @param args - see {@link MaxoutLayerArgs}.
   * @throws TypeError or RangeError when `pieces` is not an integer >= 1.
   */
  constructor(args: MaxoutLayerArgs) {
    checkLayerArgs('Maxout', args, ['pieces']);
    super(args);
    this.pieces = checkInteger('Maxout', 'pieces', args.pieces, 1);
  }

  /**
   * @returns `[batch, features / pieces]`.
   * @throws RangeError unless the input is `[batch, features]` with `features` a multiple of
   *   `pieces`.
   */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    checkInputRank('Maxout', shape, [2]);
    const features = shape[1];
    if (features != null && features % this.pieces !== 0) {
      throw new RangeError(
        `Maxout: the feature count must be a multiple of pieces (${this.pieces}), got ${features}.`,
      );
    }
    return [shape[0], features == null ? null : features / this.pieces];
  }

  /** @returns the maximum of each group of `pieces` consecutive features. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs);
      const [batch, features] = this.computeOutputShape(x.shape) as number[];
      // [batch, units·k] -> [batch, units, k]: output j's pieces are features j·k … j·k+k-1.
      return tf.max(tf.reshape(x, [batch, features, this.pieces]), 2);
    });
  }

  /** @returns the config, with `pieces`, that rebuilds this layer. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), pieces: this.pieces };
  }
}
registerLayer(Maxout);
