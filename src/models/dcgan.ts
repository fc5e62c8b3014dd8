import * as tf from '@tensorflow/tfjs';

import { checkInteger } from '../errors';
import {
  activationLayer,
  downsampleBlock,
  normActivation,
  upsampleBlock,
  type BlockNorm,
} from '../layers/blocks';
import { minibatchStdDev } from '../layers/minibatch-stddev';
import { separateBiasAdds } from '../layers/separate-bias';
import { RandomStream } from '../random';
import {
  discriminatorLabels,
  discriminatorOutputs,
  generatorInputs,
  resolveConditioning,
  type ConditioningOptions,
  type ResolvedConditioningOptions,
} from './conditioning';
import { resolveConvGanOptions } from './conv-gan-options';
import { planDcgan, type DcganPlan } from './dcgan-plan';
import { qHead, resolveInfoCodes } from './infogan';
import type { InfoGanCodes } from '../hacks/info-codes';

/**
 * Options of {@link DCGAN}.
 *
 * @category Models
 */
export interface DCGANOptions extends ConditioningOptions {
  /**
   * `[height, width, channels]` of the images, e.g. `[28, 28, 1]`, `[32, 32, 3]`, `[64, 64, 3]`.
   * Each side must be a seed size from 4 to 7 doubled one or more times, both sides the same
   * number of times (8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, ...).
   */
  imageShape: [number, number, number];
  /** Length of the latent vector `z`. @defaultValue 100 */
  latentDim?: number;
  /**
   * Filters of the discriminator's first convolution and of the generator's last hidden
   * layer; each stage away from the image doubles it. @defaultValue 64
   */
  baseFilters?: number;
  /** Kernel side of every (transposed) convolution. @defaultValue 5 */
  kernelSize?: number;
  /** Generator hidden activation; the paper uses ReLU. @defaultValue 'relu' */
  generatorActivation?: 'relu' | 'leakyRelu';
  /**
   * Normalisation in the generator's hidden layers (`'batch'`, `'instance'`, `'pixel'`,
   * `'layer'` or `'none'`). @defaultValue 'batch'
   */
  generatorNorm?: BlockNorm;
  /**
   * Normalisation in the discriminator's layers after the first (the first never has one).
   * With a gradient penalty use `'none'`, `'layer'` or `'instance'`: batch statistics couple
   * the samples the penalty treats as independent. @defaultValue 'batch'
   */
  discriminatorNorm?: BlockNorm;
  /** Negative slope of leaky ReLU. @defaultValue 0.2 */
  leakyReluAlpha?: number;
  /** Batch-norm momentum of the moving statistics (Keras convention). @defaultValue 0.9 */
  batchNormMomentum?: number;
  /**
   * Give the discriminator a view of batch diversity: a {@link MinibatchStdDev} layer before
   * its last convolution (Karras et al. 2018), `true` for groups of 4 or the group size.
   * Against mode collapse. @defaultValue false
   */
  minibatchStdDev?: boolean | number;
  /**
   * Wrap every discriminator convolution in {@link SpectralNormalization}, so each has a
   * spectral norm of about 1 (Miyato et al. 2018). @defaultValue false
   */
  spectralNorm?: boolean;
  /** Seed of the weight initialisation; omit for a random one. */
  seed?: number;
  /**
   * Make an InfoGAN: the latent layout of these codes (from {@link infoGanCodes}) sets
   * `latentDim`, and the discriminator outputs `[logit [batch, 1], Q [batch,
   * codes.auxiliaryDim]]`, Q being a dense layer of 128 with leaky ReLU on the shared features
   * then a dense layer to the code predictions. Train it with `codes.sampler` and
   * {@link mutualInformationHead}. Not with `classes`. @defaultValue off
   */
  infoCodes?: InfoGanCodes;
}

/**
 * {@link DCGANOptions} with every default filled in, as {@link DCGAN.options} holds them.
 *
 * @category Models
 */
export interface ResolvedDCGANOptions
  extends
    Required<Omit<DCGANOptions, 'seed' | 'infoCodes' | keyof ConditioningOptions>>,
    ResolvedConditioningOptions {
  /** Seed of the weight initialisation (drawn at random when none was given). */
  seed: number;
  /** The InfoGAN codes, or `null` for a GAN without them. */
  infoCodes: InfoGanCodes | null;
}

function resolve(options: DCGANOptions): ResolvedDCGANOptions {
  const where = 'DCGAN';
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object with imageShape, got ${options}.`);
  }
  const infoCodes = resolveInfoCodes(where, options.infoCodes, options.latentDim, options.classes);
  // latentDim first, as before: an InfoGAN's default comes from its codes.
  const latentDim = options.latentDim ?? infoCodes?.latentDim ?? 100;
  checkInteger(where, 'latentDim', latentDim, 1);
  const resolved: ResolvedDCGANOptions = {
    imageShape: options.imageShape,
    latentDim,
    ...resolveConvGanOptions(where, options),
    ...resolveConditioning(where, options),
    infoCodes,
  };
  return resolved;
}

/**
 * A deep convolutional GAN: a generator and a discriminator built as `tf.LayersModel`s by
 * the rules of Radford et al.: strided convolutions instead of pooling, transposed
 * convolutions to upsample, batch normalisation, leaky ReLU in the discriminator, `tanh` on
 * the generator's output so images live in [-1, 1], weights drawn from `N(0, 0.02)`.
 *
 * Generator: `z [batch, latentDim]` → dense to a seed grid `[s_h, s_w, baseFilters·2^(k-1)]`
 * → norm → activation → k transposed convolutions of stride 2, halving the filters each time,
 * the last one to the image's channels with `tanh` → `[batch, height, width, channels]`.
 * Discriminator: k strided convolutions from `baseFilters` filters, doubling each time, with
 * leaky ReLU (norm on all but the first) → flatten → dense to one logit `[batch, 1]`.
 * For `[28, 28, 1]` the seed grid is 7×7 and k = 2.
 *
 * With `classes` the GAN is class-conditional: the generator takes `[z, labels]` and starts
 * from `concat(z, embed(labels))`; the discriminator either takes `[images, labels]` and ends
 * in a {@link ClassProjection} (`conditioning: 'projection'`, the default) or takes images and
 * outputs `[logit, class logits [batch, classes]]` (`'auxiliary'`, AC-GAN). The
 * {@link Trainer} reads which from the models; give it `classes` too.
 *
 * With `infoCodes` it is an InfoGAN (Chen et al. 2016): the discriminator also outputs Q's
 * predictions of the latent codes, `[logit, Q [batch, codes.auxiliaryDim]]`.
 *
 * @see Radford, Metz, Chintala 2015, "Unsupervised Representation Learning with Deep
 * Convolutional Generative Adversarial Networks", https://arxiv.org/abs/1511.06434
 * @example
 * ```ts
 * import { DCGAN } from 'tfjs-gan';
 * const gan = new DCGAN({ imageShape: [28, 28, 1], latentDim: 100, seed: 1 });
 * gan.generator.summary();
 * gan.dispose();
 * const conditional = new DCGAN({ imageShape: [28, 28, 1], classes: 10, seed: 1 });
 * conditional.generator.inputs.length; // 2: z and the labels
 * conditional.dispose();
 * ```
 * @category Models
 */
export class DCGAN {
  /**
   * Maps `z [batch, latentDim]` (and `labels [batch]` int32 when conditional) to images
   * `[batch, height, width, channels]` in [-1, 1].
   */
  readonly generator: tf.LayersModel;
  /**
   * Maps images `[batch, height, width, channels]` (and `labels [batch]` with projection
   * conditioning) to one logit each, `[batch, 1]`; with auxiliary conditioning to
   * `[logit [batch, 1], class logits [batch, classes]]`; with `infoCodes` to
   * `[logit [batch, 1], Q [batch, codes.auxiliaryDim]]`.
   */
  readonly discriminator: tf.LayersModel;
  /** The options with every default filled in. */
  readonly options: Readonly<ResolvedDCGANOptions>;
  /** The seed grid and number of stride-2 stages chosen for the image shape. */
  readonly plan: Readonly<DcganPlan>;

  /**
   * @param options - see {@link DCGANOptions}.
   * @throws TypeError or RangeError for a bad option; RangeError for an image shape it cannot
   * build, with the sizes that work.
   */
  constructor(options: DCGANOptions) {
    this.options = resolve(options);
    this.plan = planDcgan(this.options.imageShape);
    const random = new RandomStream(this.options.seed);
    const init = () =>
      tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: random.nextSeed() });
    this.generator = separateBiasAdds(buildGenerator(this.options, this.plan, init, random));
    this.discriminator = separateBiasAdds(
      buildDiscriminator(this.options, this.plan, init, random),
    );
  }

  /** Length of `z`. */
  get latentDim(): number {
    return this.options.latentDim;
  }

  /** Number of classes of a conditional GAN, or `null`. */
  get classes(): number | null {
    return this.options.classes;
  }

  /** `[height, width, channels]`. */
  get imageShape(): [number, number, number] {
    return [...this.options.imageShape];
  }

  /** Frees both networks' weights. */
  dispose(): void {
    this.generator.dispose();
    this.discriminator.dispose();
  }
}

type InitFactory = () => ReturnType<typeof tf.initializers.randomNormal>;

function buildGenerator(
  o: ResolvedDCGANOptions,
  plan: DcganPlan,
  init: InitFactory,
  random: RandomStream,
): tf.LayersModel {
  const [, , channels] = o.imageShape;
  const topFilters = o.baseFilters * 2 ** (plan.stages - 1);
  const { inputs, code } = generatorInputs(o.latentDim, o, random);
  // Batch norm follows the dense layer per unit, as in the paper; the other norms need the
  // seed grid's spatial axes, so they follow the reshape.
  const batchNorm = o.generatorNorm === 'batch';
  let x = tf.layers
    .dense({
      units: plan.seedHeight * plan.seedWidth * topFilters,
      useBias: o.generatorNorm === 'none',
      kernelInitializer: init(),
    })
    .apply(code) as tf.SymbolicTensor;
  if (batchNorm) {
    x = tf.layers
      .batchNormalization({ momentum: o.batchNormMomentum, epsilon: 1e-5 })
      .apply(x) as tf.SymbolicTensor;
    x = activationLayer(o.generatorActivation, o.leakyReluAlpha).apply(x) as tf.SymbolicTensor;
  }
  // [batch, s_h·s_w·topFilters] -> [batch, s_h, s_w, topFilters]
  x = tf.layers
    .reshape({ targetShape: [plan.seedHeight, plan.seedWidth, topFilters] })
    .apply(x) as tf.SymbolicTensor;
  if (!batchNorm) {
    x = normActivation(x, {
      filters: topFilters,
      norm: o.generatorNorm,
      activation: o.generatorActivation,
      leakyReluAlpha: o.leakyReluAlpha,
    });
  }
  for (let stage = 1; stage < plan.stages; stage++) {
    x = upsampleBlock(x, {
      filters: topFilters / 2 ** stage,
      kernelSize: o.kernelSize,
      norm: o.generatorNorm,
      activation: o.generatorActivation,
      leakyReluAlpha: o.leakyReluAlpha,
      batchNormMomentum: o.batchNormMomentum,
      kernelInitializer: init(),
    });
  }
  const image = upsampleBlock(x, {
    filters: channels,
    kernelSize: o.kernelSize,
    norm: 'none',
    activation: 'tanh',
    kernelInitializer: init(),
  });
  return tf.model({ inputs, outputs: image });
}

function buildDiscriminator(
  o: ResolvedDCGANOptions,
  plan: DcganPlan,
  init: InitFactory,
  random: RandomStream,
): tf.LayersModel {
  const image = tf.input({ shape: [...o.imageShape] });
  const labels = discriminatorLabels(o);
  let x = image;
  for (let stage = 0; stage < plan.stages; stage++) {
    if (stage === plan.stages - 1 && o.minibatchStdDev !== false) {
      const groupSize = o.minibatchStdDev === true ? 4 : o.minibatchStdDev;
      // [batch, h, w, c] -> [batch, h, w, c + 1]: the group's stddev as one more feature map.
      x = minibatchStdDev({ groupSize }).apply(x) as tf.SymbolicTensor;
    }
    x = downsampleBlock(x, {
      filters: o.baseFilters * 2 ** stage,
      kernelSize: o.kernelSize,
      norm: stage === 0 ? 'none' : o.discriminatorNorm,
      spectralNorm: o.spectralNorm,
      activation: 'leakyRelu',
      leakyReluAlpha: o.leakyReluAlpha,
      batchNormMomentum: o.batchNormMomentum,
      kernelInitializer: init(),
    });
  }
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const dense = (units: number) => tf.layers.dense({ units, kernelInitializer: init() });
  const outputs = discriminatorOutputs(x, labels, o, dense, random);
  if (o.infoCodes) outputs.push(qHead(x, o.infoCodes, dense, o.leakyReluAlpha));
  return tf.model({
    inputs: labels ? [image, labels] : image,
    outputs: outputs.length === 1 ? outputs[0] : outputs,
  });
}
