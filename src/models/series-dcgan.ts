import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkOptions } from '../errors';
import type { BlockNorm } from '../layers/blocks';
import { RandomStream } from '../random';
import { resolveConvGanOptions } from './conv-gan-options';
import { buildableSides, doublings, MAX_SEED, MIN_SEED } from './dcgan-plan';
import { buildSeriesDiscriminator, buildSeriesGenerator } from './series-dcgan-build';

/**
 * Options of {@link SeriesDCGAN}.
 *
 * @category Models
 */
export interface SeriesDCGANOptions {
  /**
   * Time steps of each series: a seed length from 4 to 7 doubled one or more times, the sides
   * {@link dcganSides} lists (8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, ...).
   */
  length: number;
  /** Values per time step. @defaultValue 1 */
  channels?: number;
  /** Length of the latent vector `z`. @defaultValue 100 */
  latentDim?: number;
  /**
   * Filters of the discriminator's first convolution and of the generator's last hidden
   * layer; each stage away from the series doubles it. @defaultValue 64
   */
  baseFilters?: number;
  /** Kernel length of every (transposed) convolution. @defaultValue 5 */
  kernelSize?: number;
  /** Generator hidden activation. @defaultValue 'relu' */
  generatorActivation?: 'relu' | 'leakyRelu';
  /** Normalisation in the generator's hidden layers, as in {@link DCGAN}. @defaultValue 'batch' */
  generatorNorm?: BlockNorm;
  /**
   * Normalisation in the discriminator's layers after the first; with a gradient penalty use
   * `'none'`, `'layer'` or `'instance'`. @defaultValue 'batch'
   */
  discriminatorNorm?: BlockNorm;
  /** Negative slope of leaky ReLU. @defaultValue 0.2 */
  leakyReluAlpha?: number;
  /** Batch-norm momentum of the moving statistics (Keras convention). @defaultValue 0.9 */
  batchNormMomentum?: number;
  /**
   * A {@link MinibatchStdDev} channel before the discriminator's last convolution, `true` for
   * groups of 4 or the group size. @defaultValue false
   */
  minibatchStdDev?: boolean | number;
  /** Wrap every discriminator convolution in {@link SpectralNormalization}. @defaultValue false */
  spectralNorm?: boolean;
  /** Seed of the weight initialisation; omit for a random one. */
  seed?: number;
}

/**
 * {@link SeriesDCGANOptions} with every default filled in, as {@link SeriesDCGAN.options}
 * holds them.
 *
 * @category Models
 */
export interface ResolvedSeriesDCGANOptions extends Required<Omit<SeriesDCGANOptions, 'seed'>> {
  /** Seed of the weight initialisation (drawn at random when none was given). */
  seed: number;
}

/**
 * How a {@link SeriesDCGAN} reaches its length: a seed length doubled `stages` times.
 *
 * @category Models
 */
export interface SeriesDCGANPlan {
  /** Length of the generator's first feature map. */
  seedLength: number;
  /** How many stride-2 (transposed) convolutions each network has. */
  stages: number;
}

const KEYS = [
  'length',
  'channels',
  'latentDim',
  'baseFilters',
  'kernelSize',
  'generatorActivation',
  'generatorNorm',
  'discriminatorNorm',
  'leakyReluAlpha',
  'batchNormMomentum',
  'minibatchStdDev',
  'spectralNorm',
  'seed',
];

function resolve(options: SeriesDCGANOptions): ResolvedSeriesDCGANOptions {
  const where = 'SeriesDCGAN';
  checkOptions(where, options, KEYS);
  const own = {
    length: options.length,
    channels: options.channels ?? 1,
    latentDim: options.latentDim ?? 100,
  };
  for (const name of ['length', 'channels', 'latentDim'] as const) {
    checkInteger(where, name, own[name], 1);
  }
  const o: ResolvedSeriesDCGANOptions = { ...own, ...resolveConvGanOptions(where, options) };
  return o;
}

function planSeries(length: number): SeriesDCGANPlan {
  const stages = doublings(length);
  if (stages < 0) {
    throw new RangeError(
      `SeriesDCGAN: length must be a seed length from ${MIN_SEED} to ${MAX_SEED} doubled one ` +
        `or more times (${buildableSides().join(', ')}, ...), got ${length}.`,
    );
  }
  return { seedLength: length >> stages, stages };
}

/**
 * A deep convolutional GAN for fixed-length series `[batch, length, channels]`: {@link DCGAN}'s
 * rules with convolutions along the time axis only.
 *
 * Generator: `z [batch, latentDim]` → dense to a seed map `[seedLength, baseFilters·2^(k-1)]`
 * → norm → activation → k transposed convolutions of stride 2 along time, halving the filters
 * each time, the last one to `channels` → `tanh` → `[batch, length, channels]` in [-1, 1].
 * Discriminator: k strided convolutions from `baseFilters` filters, doubling each time, with
 * leaky ReLU (norm on all but the first) → flatten → dense to one logit `[batch, 1]`.
 * For length 64 the seed length is 4 and k = 4. Weights are drawn from `N(0, 0.02)`.
 *
 * @remarks
 * TensorFlow.js has `conv1d` but no transposed 1-D convolution. Both networks therefore run
 * on height-1 maps `[batch, 1, length, channels]` (a reshape at each end), with kernels
 * `[1, kernelSize]` and strides `[1, 2]`: the generator upsamples with `conv2dTranspose`, and
 * every 2-D layer of the library (norms, {@link MinibatchStdDev}, {@link SpectralNormalization})
 * works unchanged. `conv1d` itself is a height-1 `conv2d` inside TensorFlow.js, so nothing is
 * lost. Upsampling by repetition followed by a stride-1 convolution was measured and rejected:
 * on a length-64 generator (32 base filters, batch 64) one forward and backward pass took
 * 95 ms against 180 ms on `wasm` and 1.8 s against 2.2 s on `cpu`, since it convolves at the
 * doubled length.
 *
 * @see Radford, Metz, Chintala 2015, "Unsupervised Representation Learning with Deep
 * Convolutional Generative Adversarial Networks", https://arxiv.org/abs/1511.06434
 * @see Donahue, McAuley, Puckette 2019, "Adversarial Audio Synthesis" (WaveGAN: DCGAN with
 * 1-D convolutions), https://arxiv.org/abs/1802.04208
 * @example
 * ```ts
 * import { SeriesDCGAN } from 'tfjs-gan';
 * const gan = new SeriesDCGAN({ length: 64, channels: 1, latentDim: 32, seed: 1 });
 * gan.generator.summary(); // ends in [null, 64, 1]
 * gan.dispose();
 * ```
 * @category Models
 */
export class SeriesDCGAN {
  /** Maps `z [batch, latentDim]` to series `[batch, length, channels]` in [-1, 1]. */
  readonly generator: tf.LayersModel;
  /** Maps series `[batch, length, channels]` to one logit each, `[batch, 1]`. */
  readonly discriminator: tf.LayersModel;
  /** The options with every default filled in. */
  readonly options: Readonly<ResolvedSeriesDCGANOptions>;
  /** The seed length and number of stride-2 stages chosen for the length. */
  readonly plan: Readonly<SeriesDCGANPlan>;

  /**
   * @param options - see {@link SeriesDCGANOptions}.
   * @throws TypeError or RangeError for a bad option; RangeError for a length it cannot
   * build, with the lengths that work.
   */
  constructor(options: SeriesDCGANOptions) {
    this.options = resolve(options);
    this.plan = planSeries(this.options.length);
    const random = new RandomStream(this.options.seed);
    const init = () =>
      tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: random.nextSeed() });
    this.generator = buildSeriesGenerator(this.options, this.plan, init);
    this.discriminator = buildSeriesDiscriminator(this.options, this.plan, init);
  }

  /** Length of `z`. */
  get latentDim(): number {
    return this.options.latentDim;
  }

  /** `[length, channels]` of one series. */
  get seriesShape(): [number, number] {
    return [this.options.length, this.options.channels];
  }

  /** Frees both networks' weights. */
  dispose(): void {
    this.generator.dispose();
    this.discriminator.dispose();
  }
}
