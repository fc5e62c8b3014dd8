import * as tf from '@tensorflow/tfjs';

import { checkInteger } from '../errors';
import { checkLayerArgs, singleShape, singleTensor, type BaseLayerArgs } from './layer-args';
import { registerLayer } from './register';

/**
 * Options of {@link ClassEmbedding}.
 *
 * @category Layers
 */
export interface ClassEmbeddingLayerArgs extends BaseLayerArgs {
  /** Number of classes, an integer >= 1; labels run from 0 to `classes - 1`. */
  classes: number;
  /** Length of each class's vector, an integer >= 1. */
  outputDim: number;
  /** Standard deviation of the normal initialisation of `embeddings`. @defaultValue 1 */
  stddev?: number;
  /** Seed of the initialisation. */
  seed?: number;
}

/**
 * A learned vector per class: labels `[batch]` or `[batch, 1]` (integers, of any dtype) to
 * `embeddings[y]`, `[batch, outputDim]`. It does what `tf.layers.embedding` does for one
 * label per sample, computed as `oneHot(y) · embeddings`, so its gradient needs only a
 * matrix product and trains on every backend (the gather behind `tf.layers.embedding` has no
 * gradient kernel on wasm).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { classEmbedding } from 'tfjs-gan';
 * const labels = tf.input({ shape: [1], dtype: 'int32' });
 * const vectors = classEmbedding({ classes: 10, outputDim: 50 }).apply(labels); // [null, 50]
 * ```
 * @category Layers
 */
export class ClassEmbedding extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'ClassEmbedding';
  /** Number of classes. */
  readonly classes: number;
  /** Length of each class's vector. */
  readonly outputDim: number;
  /** Standard deviation of the initialisation. */
  readonly stddev: number;
  /** Seed of the initialisation, when given. */
  readonly seed: number | undefined;
  private embeddings: tf.LayerVariable | null = null;

  /**
   * @param args - see {@link ClassEmbeddingLayerArgs}.
   * @throws TypeError or RangeError when `classes` or `outputDim` is not an integer >= 1.
   */
  constructor(args: ClassEmbeddingLayerArgs) {
    const where = 'ClassEmbedding';
    checkLayerArgs(where, args, ['classes', 'outputDim', 'stddev', 'seed']);
    super(args);
    this.classes = checkInteger(where, 'classes', args.classes, 1);
    this.outputDim = checkInteger(where, 'outputDim', args.outputDim, 1);
    this.stddev = args.stddev ?? 1;
    this.seed = args.seed == null ? undefined : checkInteger(where, 'seed', args.seed, 0);
  }

  /** Creates `embeddings`, `[classes, outputDim]`. */
  override build(): void {
    const init = tf.initializers.randomNormal({ stddev: this.stddev, seed: this.seed });
    this.embeddings = this.addWeight('embeddings', [this.classes, this.outputDim], 'float32', init);
    this.built = true;
  }

  /** @returns `[batch, outputDim]`. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [singleShape(inputShape)[0], this.outputDim];
  }

  /** @returns `oneHot(y) · embeddings`, `[batch, outputDim]`. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      // [batch] or [batch, 1] -> [batch] int32 -> [batch, classes]
      const y = tf.cast(tf.reshape(singleTensor(inputs), [-1]), 'int32');
      return tf.matMul(tf.oneHot(y, this.classes), this.embeddings!.read());
    });
  }

  /** @returns the config, with `classes`, `outputDim`, `stddev` and `seed`. */
  override getConfig(): tf.serialization.ConfigDict {
    const own: tf.serialization.ConfigDict = {
      classes: this.classes,
      outputDim: this.outputDim,
      stddev: this.stddev,
    };
    if (this.seed !== undefined) own.seed = this.seed;
    return { ...super.getConfig(), ...own };
  }
}
registerLayer(ClassEmbedding);

/**
 * Creates a {@link ClassEmbedding} layer.
 *
 * @param args - see {@link ClassEmbeddingLayerArgs}.
 * @returns the layer: labels `[batch]` or `[batch, 1]` → `[batch, outputDim]`.
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { classEmbedding } from 'tfjs-gan';
 * const labels = tf.input({ shape: [1], dtype: 'int32' });
 * const vectors = classEmbedding({ classes: 10, outputDim: 8, seed: 1 }).apply(labels);
 * ```
 * @category Layers
 */
export function classEmbedding(args: ClassEmbeddingLayerArgs): ClassEmbedding {
  return new ClassEmbedding(args);
}
