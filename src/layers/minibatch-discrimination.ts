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
 * Options of {@link MinibatchDiscrimination}.
 *
 * @category Layers
 */
export interface MinibatchDiscriminationLayerArgs extends BaseLayerArgs {
  /** `B`, the number of similarity features appended. */
  numKernels: number;
  /** `C`, the length of each projected row compared between samples. */
  kernelDim: number;
  /** Seed of the `N(0, 0.05)` initialisation of `T`; omit for a random one. */
  seed?: number;
}

/**
 * Minibatch discrimination (Salimans et al.): lets the discriminator compare each sample with
 * the rest of its batch. A learned tensor `T` (`[A, B, C]`) projects features `x_i` (`[A]`)
 * to a matrix `M_i = x_i·T` (`[B, C]`); then for each row `b`
 * `o(x_i)_b = Σ_j exp(−‖M_i,b − M_j,b‖₁)`, summed over every sample `j` of the batch,
 * `j = i` included (so each feature is at least 1). The output is `concat(x, o)`.
 *
 * Input `[batch, A]`, output `[batch, A + B]`. Memory grows as `batch² · B · C`. Samples
 * that look alike get large features, so a generator that collapses to a few outputs is easy
 * to spot. It mixes samples, so the discriminator's output for one sample depends on the
 * rest of the batch (avoid it with per-sample gradient penalties).
 * The one weight is `kernel`, `[A, B, C]`, initialised from `N(0, 0.05)`.
 *
 * @see Salimans et al. 2016, "Improved Techniques for Training GANs", section 3.2,
 * https://arxiv.org/abs/1606.03498
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { MinibatchDiscrimination } from 'tfjs-gan';
 * const features = tf.input({ shape: [64] });
 * const layer = new MinibatchDiscrimination({ numKernels: 16, kernelDim: 4 });
 * const y = layer.apply(features); // [null, 80]
 * ```
 * @category Layers
 */
export class MinibatchDiscrimination extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'MinibatchDiscrimination';
  /** `B`, the number of appended features. */
  readonly numKernels: number;
  /** `C`, the length of each compared row. */
  readonly kernelDim: number;
  /** Seed of the initialisation of `T`, if one was given. */
  readonly seed: number | undefined;
  private kernel: tf.LayerVariable | null = null;

  /**
   * @param args - see {@link MinibatchDiscriminationLayerArgs}.
   * @throws TypeError or RangeError for a bad option: `numKernels` or `kernelDim` not an
   *   integer ≥ 1.
   */
  constructor(args: MinibatchDiscriminationLayerArgs) {
    const where = 'MinibatchDiscrimination';
    checkLayerArgs(where, args, ['numKernels', 'kernelDim', 'seed']);
    super(args);
    this.numKernels = checkInteger(where, 'numKernels', args.numKernels, 1);
    this.kernelDim = checkInteger(where, 'kernelDim', args.kernelDim, 1);
    this.seed = args.seed == null ? undefined : checkInteger(where, 'seed', args.seed, 0);
  }

  /**
   * Creates `kernel`, `[A, B, C]`.
   *
   * @throws RangeError unless the input is `[batch, A]` with `A` known.
   */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    checkInputRank('MinibatchDiscrimination', shape, [2]);
    const features = shape[1];
    if (features == null) {
      throw new RangeError('MinibatchDiscrimination: the feature count must be known, got null.');
    }
    const init = tf.initializers.randomNormal({ mean: 0, stddev: 0.05, seed: this.seed });
    const kernelShape = [features, this.numKernels, this.kernelDim];
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', init);
    this.built = true;
  }

  /** @returns `[batch, A + B]`. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    checkInputRank('MinibatchDiscrimination', shape, [2]);
    return [shape[0], shape[1] == null ? null : shape[1] + this.numKernels];
  }

  /** @returns `concat(x, o)`, `[batch, A + B]`. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs);
      checkInputRank('MinibatchDiscrimination', x.shape, [2]);
      const [batch, features] = x.shape;
      const b = this.numKernels;
      const c = this.kernelDim;
      const projection = tf.reshape(this.kernel!.read(), [features, b * c]);
      const m = tf.reshape(tf.matMul(x, projection), [batch, b, c]); // M_i: [N, B, C]
      // [N, 1, B, C] − [1, N, B, C] -> [N, N, B, C]; L1 over C -> [N, N, B]
      const distance = tf.sum(tf.abs(tf.sub(tf.expandDims(m, 1), tf.expandDims(m, 0))), 3);
      const similarity = tf.sum(tf.exp(tf.neg(distance)), 1); // [N, B]
      return tf.concat([x, similarity], 1);
    });
  }

  /** @returns the config, with `numKernels`, `kernelDim` and `seed`, that rebuilds this layer. */
  override getConfig(): tf.serialization.ConfigDict {
    const own: tf.serialization.ConfigDict = {
      numKernels: this.numKernels,
      kernelDim: this.kernelDim,
    };
    if (this.seed !== undefined) own.seed = this.seed;
    return { ...super.getConfig(), ...own };
  }
}
registerLayer(MinibatchDiscrimination);

/**
 * Creates a {@link MinibatchDiscrimination} layer.
 *
 * @param args - see {@link MinibatchDiscriminationLayerArgs}.
 * @returns the layer: `[batch, A]` → `[batch, A + numKernels]`.
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { minibatchDiscrimination } from 'tfjs-gan';
 * const features = tf.input({ shape: [64] });
 * const y = minibatchDiscrimination({ numKernels: 16, kernelDim: 4 }).apply(features);
 * ```
 * @category Layers
 */
export function minibatchDiscrimination(
  args: MinibatchDiscriminationLayerArgs,
): MinibatchDiscrimination {
  return new MinibatchDiscrimination(args);
}
