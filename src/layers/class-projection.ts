import * as tf from '@tensorflow/tfjs';

import { checkInteger } from '../errors';
import { checkInputRank, checkLayerArgs, type BaseLayerArgs } from './layer-args';
import { registerLayer } from './register';

/**
 * Options of {@link ClassProjection}.
 *
 * @category Layers
 */
export interface ClassProjectionLayerArgs extends BaseLayerArgs {
  /** Number of classes, an integer >= 1; labels run from 0 to `classes - 1`. */
  classes: number;
  /** Seed of the Glorot-uniform initialisation of `kernel` and `embeddings`. */
  seed?: number;
}

/**
 * The output of a projection discriminator (Miyato & Koyama 2018): from features `h` and a
 * class label `y`, the logit `psi(h) + <embed(y), h>`, where `psi(h) = h·w + b` is the
 * unconditional logit and `embed(y)` a learned vector per class of the features' length.
 *
 * Inputs `[h [batch, features], labels [batch] or [batch, 1]]` (labels are integer class
 * indices, of any dtype); output `[batch, 1]`. Weights: `kernel [features, 1]`, `bias [1]`,
 * `embeddings [classes, features]`.
 *
 * @see Miyato, Koyama 2018, "cGANs with Projection Discriminator",
 *   https://arxiv.org/abs/1802.05637
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ClassProjection } from 'tfjs-gan';
 * const h = tf.input({ shape: [16] });
 * const y = tf.input({ shape: [1], dtype: 'int32' });
 * const logit = new ClassProjection({ classes: 10 }).apply([h, y]); // [null, 1]
 * ```
 * @category Layers
 */
export class ClassProjection extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'ClassProjection';
  /** Number of classes. */
  readonly classes: number;
  /** Seed of the initialisation, when given. */
  readonly seed: number | undefined;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;
  private embeddings: tf.LayerVariable | null = null;

  /**
   * @param args - see {@link ClassProjectionLayerArgs}.
   * @throws TypeError or RangeError when `classes` is not an integer >= 1 or `seed` not an
   *   integer >= 0.
   */
  constructor(args: ClassProjectionLayerArgs) {
    const where = 'ClassProjection';
    checkLayerArgs(where, args, ['classes', 'seed']);
    super(args);
    this.classes = checkInteger(where, 'classes', args.classes, 1);
    this.seed = args.seed == null ? undefined : checkInteger(where, 'seed', args.seed, 0);
  }

  /**
   * Creates `kernel`, `bias` and `embeddings`.
   *
   * @throws RangeError unless the inputs are `[batch, features]` (features known) and labels.
   */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const features = featureShape(inputShape)[1];
    if (features == null) {
      throw new RangeError('ClassProjection: the feature count must be known, got null.');
    }
    const seed = this.seed;
    const init = (offset: number) =>
      tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + offset });
    this.kernel = this.addWeight('kernel', [features, 1], 'float32', init(0));
    this.bias = this.addWeight('bias', [1], 'float32', tf.initializers.zeros());
    this.embeddings = this.addWeight('embeddings', [this.classes, features], 'float32', init(1));
    this.built = true;
  }

  /** @returns `[batch, 1]`. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [featureShape(inputShape)[0], 1];
  }

  /** @returns `h·w + b + sum(embeddings[y] ⊙ h)`, `[batch, 1]`. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      if (!Array.isArray(inputs) || inputs.length !== 2) {
        throw new TypeError('ClassProjection: inputs must be [features, labels].');
      }
      const [h, labels] = inputs;
      checkInputRank('ClassProjection', h.shape, [2]);
      // [batch] or [batch, 1] -> [batch] int32 indices
      const y = tf.cast(tf.reshape(labels, [-1]), 'int32');
      const psi = tf.add(tf.matMul(h, this.kernel!.read()), this.bias!.read()); // [batch, 1]
      // oneHot · E rather than a gather: its gradient trains on every backend (wasm too).
      const embedded = tf.matMul(tf.oneHot(y, this.classes), this.embeddings!.read()); // [batch, features]
      return tf.add(psi, tf.sum(tf.mul(embedded, h), 1, true));
    });
  }

  /** @returns the config, with `classes` and `seed`, that rebuilds this layer. */
  override getConfig(): tf.serialization.ConfigDict {
    const own: tf.serialization.ConfigDict = { classes: this.classes };
    if (this.seed !== undefined) own.seed = this.seed;
    return { ...super.getConfig(), ...own };
  }
}
registerLayer(ClassProjection);

function featureShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  if (!Array.isArray(inputShape[0]) || inputShape.length !== 2) {
    throw new TypeError('ClassProjection: inputs must be [features, labels].');
  }
  const shape = inputShape[0] as tf.Shape;
  checkInputRank('ClassProjection', shape, [2]);
  return shape;
}

/**
 * Creates a {@link ClassProjection} layer.
 *
 * @param args - see {@link ClassProjectionLayerArgs}.
 * @returns the layer: `[h [batch, features], labels [batch]]` → `[batch, 1]`.
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { classProjection } from 'tfjs-gan';
 * const h = tf.input({ shape: [16] });
 * const y = tf.input({ shape: [1], dtype: 'int32' });
 * const logit = classProjection({ classes: 10, seed: 1 }).apply([h, y]);
 * ```
 * @category Layers
 */
export function classProjection(args: ClassProjectionLayerArgs): ClassProjection {
  return new ClassProjection(args);
}
