import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkPositive, describeValue } from '../errors';
import { checkLayerArgs, singleTensor, type BaseLayerArgs, type CallArgs } from './layer-args';
import { registerLayer } from './register';
import { kernelMatrix, powerIteration, spectralNormEstimate } from './spectral-math';

const WRAPPABLE = ['Dense', 'Conv2D', 'Conv2DTranspose'];

/**
 * Options of {@link SpectralNormalization}.
 *
 * @category Layers
 */
export interface SpectralNormalizationLayerArgs extends BaseLayerArgs {
  /** The layer to normalise: a new (unused) `Dense`, `Conv2D` or `Conv2DTranspose` layer. */
  layer: tf.layers.Layer;
  /** Power-iteration steps per training call. @defaultValue 1 */
  powerIterations?: number;
  /**
   * Floor of the vector norms and of `σ`, so a zero kernel divides by `ε`, not 0.
   * @defaultValue 1e-12
   */
  epsilon?: number;
  /** Seed of the `N(0, 1)` initialisation of `u`; omit for a random one. */
  seed?: number;
}

/** The wrapped layer's kernel, which tfjs's dense and convolution layers read in `call`. */
type KernelHolder = { kernel: { read(): tf.Tensor } };

/**
 * Spectral normalisation (Miyato et al.): runs the wrapped layer with its kernel divided by
 * its largest singular value, `W_SN = W / σ(W)`, so the layer is (about) 1-Lipschitz; used in
 * the discriminator (SN-GAN) and, in SAGAN and BigGAN, in the generator too.
 *
 * `σ` is estimated by power iteration on the kernel as a matrix `K` of shape
 * `[fanIn, outChannels]`: a dense kernel `[in, units]` is used as is, a `Conv2D` kernel
 * `[kh, kw, in, filters]` is reshaped to `[kh·kw·in, filters]`, and a `Conv2DTranspose`
 * kernel (stored by TensorFlow.js as `[kh, kw, filters, in]`) is transposed to
 * `[kh, kw, in, filters]` first, so in every case `u` has one entry per output channel. With
 * `û = u / ‖u‖`: each training call (`training: true`, as `fit` and the Trainer pass) runs
 * `powerIterations` steps of `v = K·û / ‖K·û‖, û = Kᵀ·v / ‖Kᵀ·v‖`, stores `û` in the
 * non-trainable weight `u` (`[outChannels]`), and then uses `σ = ‖K·û‖`. Inference calls use
 * the stored `u` and never change it, so after a training call an inference call with the
 * same weights gives the same output. No gradient flows through `u`; gradients reach the
 * wrapped kernel through `W / σ(W)`, as in the paper. The bias and activation are the
 * wrapped layer's own.
 *
 * The wrapper's weights are the wrapped layer's (`kernel`, `bias`) followed by `u`.
 *
 * @see Miyato, Kataoka, Koyama, Yoshida 2018, "Spectral Normalization for Generative
 * Adversarial Networks", https://arxiv.org/abs/1802.05957
 * @remarks One power-iteration step per training call (the paper's choice) relies on the
 * kernel changing slowly, so `σ` is underestimated for the first calls after a new or
 * re-initialised kernel; raise `powerIterations` or run a few training calls first if the
 * first outputs matter.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SpectralNormalization } from 'tfjs-gan';
 * const image = tf.input({ shape: [32, 32, 3] });
 * const conv = tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same' });
 * const y = new SpectralNormalization({ layer: conv }).apply(image); // [null, 16, 16, 64]
 * ```
 * @category Layers
 */
export class SpectralNormalization extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'SpectralNormalization';
  /** The wrapped layer. */
  readonly layer: tf.layers.Layer;
  /** Power-iteration steps per training call. */
  readonly powerIterations: number;
  /** Floor of the vector norms and of `σ`. */
  readonly epsilon: number;
  /** Seed of the initialisation of `u`, if one was given. */
  readonly seed: number | undefined;
  private u: tf.LayerVariable | null = null;

  /**
   * @param args - see {@link SpectralNormalizationLayerArgs}.
   * @throws TypeError if `layer` is not a `Dense`, `Conv2D` or `Conv2DTranspose` layer;
   *   TypeError or RangeError for another bad option.
   */
  constructor(args: SpectralNormalizationLayerArgs) {
    const where = 'SpectralNormalization';
    checkLayerArgs(where, args, ['layer', 'powerIterations', 'epsilon', 'seed']);
    const layer: unknown = args.layer;
    const className = layer instanceof tf.layers.Layer ? layer.getClassName() : undefined;
    if (className === undefined || !WRAPPABLE.includes(className)) {
      const got = className === undefined ? describeValue(layer) : `a ${className} layer`;
      throw new TypeError(
        `${where}: layer must be a Dense, Conv2D or Conv2DTranspose layer, got ${got}.`,
      );
    }
    super(args);
    this.layer = args.layer;
    this.powerIterations = checkInteger(where, 'powerIterations', args.powerIterations ?? 1, 1);
    this.epsilon = checkPositive(where, 'epsilon', args.epsilon ?? 1e-12);
    this.seed = args.seed == null ? undefined : checkInteger(where, 'seed', args.seed, 0);
  }

  /** Builds the wrapped layer, then creates `u`, `[outChannels]`. */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    if (!this.layer.built) this.layer.build(inputShape);
    const kernel = (this.layer as unknown as KernelHolder).kernel.read();
    const transposed = this.layer.getClassName() === 'Conv2DTranspose';
    const outChannels = kernel.shape[transposed ? 2 : kernel.rank - 1];
    const init = tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: this.seed });
    this.u = this.addWeight('u', [outChannels], 'float32', init, undefined, false);
    this.trainableWeights = [...this.layer.trainableWeights];
    this.nonTrainableWeights = [...this.layer.nonTrainableWeights, this.u];
    this.built = true;
  }

  /** @returns the wrapped layer's output shape. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return this.layer.computeOutputShape(inputShape);
  }

  /** @returns the wrapped layer's output computed with `W / σ(W)`. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs): tf.Tensor {
    return tf.tidy(() => {
      const holder = this.layer as unknown as KernelHolder;
      const stored = holder.kernel;
      const kernel = stored.read();
      const transposed = this.layer.getClassName() === 'Conv2DTranspose';
      const matrix = kernelMatrix(kernel, transposed); // [fanIn, outChannels]
      const u = this.u!;
      if (kwargs.training === true) {
        u.write(powerIteration(matrix, u.read(), this.powerIterations, this.epsilon));
      }
      const sigma = spectralNormEstimate(matrix, u.read(), this.epsilon);
      const normalized = tf.div(kernel, sigma);
      holder.kernel = { read: () => normalized };
      try {
        return singleTensor(this.layer.call(inputs, kwargs));
      } finally {
        holder.kernel = stored;
      }
    });
  }

  /** @returns the config, with the wrapped layer's class and config, that rebuilds this layer. */
  override getConfig(): tf.serialization.ConfigDict {
    const own: tf.serialization.ConfigDict = {
      layer: { className: this.layer.getClassName(), config: this.layer.getConfig() },
      powerIterations: this.powerIterations,
      epsilon: this.epsilon,
    };
    if (this.seed !== undefined) own.seed = this.seed;
    return { ...super.getConfig(), ...own };
  }

  /**
   * Rebuilds the layer from {@link SpectralNormalization.getConfig}'s output, the wrapped layer
   * included.
   *
   * @param cls - the class to build.
   * @param config - a config that `getConfig` returned.
   * @returns the new layer.
   */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const inner = config.layer as { className: string; config: tf.serialization.ConfigDict };
    const entry = tf.serialization.SerializationMap.getMap().classNameMap[inner.className];
    const layer = entry[1](entry[0], inner.config);
    return new cls({ ...config, layer });
  }
}
registerLayer(SpectralNormalization);

/**
 * Wraps a dense or convolution layer in {@link SpectralNormalization}.
 *
 * @param args - see {@link SpectralNormalizationLayerArgs}.
 * @returns the wrapper; its output has the wrapped layer's shape.
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { spectralNormalization } from 'tfjs-gan';
 * const features = tf.input({ shape: [128] });
 * const logit = spectralNormalization({ layer: tf.layers.dense({ units: 1 }) }).apply(features);
 * ```
 * @category Layers
 */
export function spectralNormalization(args: SpectralNormalizationLayerArgs): SpectralNormalization {
  return new SpectralNormalization(args);
}
