import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkOneOf, checkOptions, checkRange, describeValue } from '../errors';
import { activationLayer, type BlockNorm } from '../layers/blocks';
import { minibatchDiscrimination } from '../layers/minibatch-discrimination';
import { minibatchStdDev } from '../layers/minibatch-stddev';
import { packSamples, repeatPacks } from '../layers/packing';
import { pixelNormalization } from '../layers/pixel-normalization';
import { separateBiasAdds } from '../layers/separate-bias';
import { RandomStream } from '../random';
import {
  CONDITIONING_KEYS,
  discriminatorLabels,
  discriminatorOutputs,
  generatorInputs,
  resolveConditioning,
  type ConditioningOptions,
  type ResolvedConditioningOptions,
} from './conditioning';
import { Maxout } from './mlp-maxout';

/**
 * Options of {@link MlpGAN}.
 *
 * @category Models
 */
export interface MlpGANOptions extends ConditioningOptions {
  /**
   * Shape of one sample: `[features]` for points and table rows (e.g. `[2]`), or
   * `[steps, channels]` for short series.
   */
  dataShape: number[];
  /** Length of the latent vector `z`. @defaultValue 64 */
  latentDim?: number;
  /** Units of the generator's hidden layers, input side first. @defaultValue [256, 256, 256] */
  generatorUnits?: number[];
  /** Units of the discriminator's hidden layers, input side first. @defaultValue [256, 256, 256] */
  discriminatorUnits?: number[];
  /** Generator hidden activation. @defaultValue 'relu' */
  generatorActivation?: 'relu' | 'leakyRelu';
  /**
   * Discriminator hidden activation: leaky ReLU, ReLU, or maxout of `maxoutPieces` pieces
   * (each hidden layer then has `units·pieces` outputs, maxed in groups). @defaultValue 'leakyRelu'
   */
  discriminatorActivation?: 'leakyRelu' | 'relu' | 'maxout';
  /** Pieces of each maxout unit, with `discriminatorActivation: 'maxout'`. @defaultValue 5 */
  maxoutPieces?: number;
  /**
   * The generator's output activation: `'linear'` for unbounded data (points), `'tanh'` for
   * data scaled to [-1, 1]. @defaultValue 'linear'
   */
  outputActivation?: 'linear' | 'tanh';
  /**
   * Normalisation after each generator hidden layer: `'batch'`, `'layer'` (over the layer's
   * units), `'pixel'` (unit length over the units) or `'none'`. For 2-D points prefer
   * `'none'`: on the ring mixture it more than doubled the share of samples within three
   * standard deviations of a mode (docs/metrics.md). @defaultValue 'batch'
   */
  generatorNorm?: BlockNorm;
  /**
   * Normalisation after each discriminator hidden layer but the first, as for the generator.
   * With a gradient penalty use `'none'` or `'layer'`. @defaultValue 'none'
   */
  discriminatorNorm?: BlockNorm;
  /** Negative slope of leaky ReLU. @defaultValue 0.2 */
  leakyReluAlpha?: number;
  /** Batch-norm momentum of the moving statistics (Keras convention). @defaultValue 0.9 */
  batchNormMomentum?: number;
  /**
   * A {@link MinibatchStdDev} feature before the discriminator's last hidden layer, `true`
   * for groups of 4 or the group size. @defaultValue false
   */
  minibatchStdDev?: boolean | number;
  /**
   * A {@link MinibatchDiscrimination} layer after the discriminator's last hidden layer,
   * `true` for 16 kernels of dimension 8, or the sizes. @defaultValue false
   */
  minibatchDiscrimination?: boolean | MinibatchDiscriminationSizes;
  /**
   * Packing (PacGAN): the discriminator judges `packing` samples at a time, concatenated
   * into one input by {@link PackSamples}, and gives each sample its pack's logit
   * ({@link RepeatPacks}); the batch must then be a multiple of `packing`. 1 turns it off.
   * Input-gradient penalties (gradient penalty, R1, DRAGAN) then take each sample's gradient
   * of its pack's logit counted `packing` times, so their norms are `packing` times larger.
   * @defaultValue 1
   */
  packing?: number;
  /** Seed of the weight initialisation; omit for a random one. */
  seed?: number;
}

/**
 * The sizes of an {@link MlpGAN}'s minibatch discrimination layer.
 *
 * @category Models
 */
export interface MinibatchDiscriminationSizes {
  /** How many kernels (output features), B in Salimans et al. 2016. */
  numKernels: number;
  /** The dimension of each kernel's projection, C in Salimans et al. 2016. */
  kernelDim: number;
}

/**
 * {@link MlpGANOptions} with every default filled in.
 *
 * @category Models
 */
export interface ResolvedMlpGANOptions
  extends
    Required<Omit<MlpGANOptions, 'seed' | 'minibatchDiscrimination' | keyof ConditioningOptions>>,
    ResolvedConditioningOptions {
  /** Kernel count and dimension, or `false`. */
  minibatchDiscrimination: false | MinibatchDiscriminationSizes;
  /** Seed of the weight initialisation (drawn at random when none was given). */
  seed: number;
}

const KEYS = [
  'dataShape',
  'latentDim',
  'generatorUnits',
  'discriminatorUnits',
  'generatorActivation',
  'discriminatorActivation',
  'maxoutPieces',
  'outputActivation',
  'generatorNorm',
  'discriminatorNorm',
  'leakyReluAlpha',
  'batchNormMomentum',
  'minibatchStdDev',
  'minibatchDiscrimination',
  'packing',
  'seed',
  ...CONDITIONING_KEYS,
];
const NORMS: BlockNorm[] = ['batch', 'layer', 'pixel', 'none'];

function checkUnits(name: string, units: unknown): number[] {
  if (!Array.isArray(units) || units.length === 0) {
    throw new TypeError(
      `MlpGAN: ${name} must be a non-empty array of integers, got ${describeValue(units)}.`,
    );
  }
  return units.map((u, i) => checkInteger('MlpGAN', `${name}[${i}]`, u, 1));
}

function checkDiversity(o: ResolvedMlpGANOptions, given: MlpGANOptions): void {
  const stddev = o.minibatchStdDev;
  if (typeof stddev === 'number') checkInteger('MlpGAN', 'minibatchStdDev (group size)', stddev, 1);
  else if (typeof stddev !== 'boolean') {
    throw new TypeError(
      `MlpGAN: minibatchStdDev must be a boolean or a group size, got ${describeValue(stddev)}.`,
    );
  }
  const md = given.minibatchDiscrimination ?? false;
  if (md === true) o.minibatchDiscrimination = { numKernels: 16, kernelDim: 8 };
  else if (md !== false && (md === null || typeof md !== 'object')) {
    throw new TypeError(
      'MlpGAN: minibatchDiscrimination must be a boolean or { numKernels, kernelDim }, got ' +
        `${describeValue(md)}.`,
    );
  } else if (md !== false) {
    checkInteger('MlpGAN', 'minibatchDiscrimination.numKernels', md.numKernels, 1);
    checkInteger('MlpGAN', 'minibatchDiscrimination.kernelDim', md.kernelDim, 1);
    o.minibatchDiscrimination = { numKernels: md.numKernels, kernelDim: md.kernelDim };
  }
}

function resolve(options: MlpGANOptions): ResolvedMlpGANOptions {
  const where = 'MlpGAN';
  checkOptions(where, options, KEYS);
  const shape = options.dataShape;
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 2) {
    throw new TypeError(
      `${where}: dataShape must be [features] or [steps, channels], got ${describeValue(shape)}.`,
    );
  }
  shape.forEach((size, i) => checkInteger(where, `dataShape[${i}]`, size, 1));
  const o: ResolvedMlpGANOptions = {
    dataShape: [...shape],
    latentDim: checkInteger(where, 'latentDim', options.latentDim ?? 64, 1),
    generatorUnits: checkUnits('generatorUnits', options.generatorUnits ?? [256, 256, 256]),
    discriminatorUnits: checkUnits(
      'discriminatorUnits',
      options.discriminatorUnits ?? [256, 256, 256],
    ),
    generatorActivation: options.generatorActivation ?? 'relu',
    discriminatorActivation: options.discriminatorActivation ?? 'leakyRelu',
    maxoutPieces: checkInteger(where, 'maxoutPieces', options.maxoutPieces ?? 5, 1),
    outputActivation: options.outputActivation ?? 'linear',
    generatorNorm: checkOneOf(where, 'generatorNorm', options.generatorNorm ?? 'batch', NORMS),
    discriminatorNorm: checkOneOf(
      where,
      'discriminatorNorm',
      options.discriminatorNorm ?? 'none',
      NORMS,
    ),
    leakyReluAlpha: checkRange(where, 'leakyReluAlpha', options.leakyReluAlpha ?? 0.2, 0, 1),
    batchNormMomentum: checkRange(
      where,
      'batchNormMomentum',
      options.batchNormMomentum ?? 0.9,
      0,
      1,
    ),
    minibatchStdDev: options.minibatchStdDev ?? false,
    minibatchDiscrimination: false,
    packing: checkInteger(where, 'packing', options.packing ?? 1, 1),
    seed: checkInteger(where, 'seed', options.seed ?? Math.floor(Math.random() * 2 ** 31), 0),
    ...resolveConditioning(where, options),
  };
  checkOneOf(where, 'generatorActivation', o.generatorActivation, ['relu', 'leakyRelu']);
  checkOneOf(where, 'discriminatorActivation', o.discriminatorActivation, [
    'leakyRelu',
    'relu',
    'maxout',
  ]);
  checkOneOf(where, 'outputActivation', o.outputActivation, ['linear', 'tanh']);
  checkDiversity(o, options);
  if (o.packing > 1 && o.classes !== null) {
    throw new RangeError(
      `${where}: packing and classes cannot be combined: a pack mixes samples of different ` +
        `classes, got packing ${o.packing} with classes ${o.classes}.`,
    );
  }
  return o;
}

/**
 * A fully connected GAN for points, table rows and short series: a generator and a
 * discriminator built as `tf.LayersModel`s from dense layers, with the DCGAN's choices of
 * normalisation and activation, the diversity layers ({@link MinibatchStdDev},
 * {@link MinibatchDiscrimination}) and maxout units for the discriminator.
 *
 * Generator: `z [batch, latentDim]` → for each of `generatorUnits`: dense → norm →
 * activation → dense to `prod(dataShape)` with `outputActivation` → reshape to
 * `[batch, ...dataShape]`.
 * Discriminator: `[batch, ...dataShape]` → flatten → (with `packing` m: packs of m samples,
 * `[batch / m, m·features]`) → for each of `discriminatorUnits`:
 * (minibatch stddev before the last one) dense → norm (not on the first) → activation →
 * (minibatch discrimination) → dense to one logit (per pack, repeated for each of its
 * samples) `[batch, 1]`. Weights are drawn from the
 * seeded Glorot-uniform initialiser.
 *
 * With `classes` the GAN is class-conditional, as {@link DCGAN} is: the generator takes
 * `[z, labels]` and starts from `concat(z, embed(labels))`; the discriminator takes
 * `[samples, labels]` and ends in a {@link ClassProjection} (`conditioning: 'projection'`) or
 * outputs `[logit, class logits]` (`'auxiliary'`).
 *
 * @see Goodfellow et al. 2014, "Generative Adversarial Nets", https://arxiv.org/abs/1406.2661
 * @see Lin et al. 2018, "PacGAN" (the mixture architecture: maxout discriminator),
 *   https://arxiv.org/abs/1712.04086
 * @example
 * ```ts
 * import { MlpGAN, Trainer, ringMixture } from 'tfjs-gan';
 * const gan = new MlpGAN({ dataShape: [2], minibatchDiscrimination: true, seed: 1 });
 * const trainer = new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 1 });
 * await trainer.fit(ringMixture().batches(256, 1), { steps: 10 });
 * trainer.dispose(); gan.dispose();
 * ```
 * @category Models
 */
export class MlpGAN {
  /**
   * Maps `z [batch, latentDim]` (and `labels [batch]` int32 when conditional) to samples
   * `[batch, ...dataShape]`.
   */
  readonly generator: tf.LayersModel;
  /**
   * Maps samples `[batch, ...dataShape]` (and `labels [batch]` with projection conditioning)
   * to one logit each, `[batch, 1]`; with auxiliary conditioning to `[logit [batch, 1],
   * class logits [batch, classes]]`.
   */
  readonly discriminator: tf.LayersModel;
  /** The options with every default filled in. */
  readonly options: Readonly<ResolvedMlpGANOptions>;

  /**
   * @param options - see {@link MlpGANOptions}.
   * @throws TypeError or RangeError for a bad or unknown option (`'instance'` norm, which
   *   needs spatial axes, is refused).
   */
  constructor(options: MlpGANOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        `MlpGAN: options must be an object with dataShape, got ${describeValue(options)}.`,
      );
    }
    this.options = resolve(options);
    const random = new RandomStream(this.options.seed);
    const init = () => tf.initializers.glorotUniform({ seed: random.nextSeed() });
    this.generator = separateBiasAdds(buildGenerator(this.options, init, random));
    this.discriminator = separateBiasAdds(buildDiscriminator(this.options, init, random));
  }

  /** Length of `z`. */
  get latentDim(): number {
    return this.options.latentDim;
  }

  /** Number of classes of a conditional GAN, or `null`. */
  get classes(): number | null {
    return this.options.classes;
  }

  /** Shape of one sample. */
  get dataShape(): number[] {
    return [...this.options.dataShape];
  }

  /** Frees both networks' weights. */
  dispose(): void {
    this.generator.dispose();
    this.discriminator.dispose();
  }
}

type InitFactory = () => ReturnType<typeof tf.initializers.glorotUniform>;

function normLayer(norm: BlockNorm, momentum: number): tf.layers.Layer | null {
  if (norm === 'batch') return tf.layers.batchNormalization({ momentum, epsilon: 1e-5 });
  if (norm === 'layer') return tf.layers.layerNormalization({ epsilon: 1e-5 });
  if (norm === 'pixel') return pixelNormalization();
  return null;
}

function apply(layer: tf.layers.Layer | null, x: tf.SymbolicTensor): tf.SymbolicTensor {
  return layer ? (layer.apply(x) as tf.SymbolicTensor) : x;
}

function buildGenerator(
  o: ResolvedMlpGANOptions,
  init: InitFactory,
  random: RandomStream,
): tf.LayersModel {
  const { inputs, code } = generatorInputs(o.latentDim, o, random);
  let x = code;
  for (const units of o.generatorUnits) {
    // Batch norm's offset replaces the dense bias, which its mean subtraction would cancel.
    const useBias = o.generatorNorm !== 'batch';
    x = apply(tf.layers.dense({ units, useBias, kernelInitializer: init() }), x);
    x = apply(normLayer(o.generatorNorm, o.batchNormMomentum), x);
    x = apply(activationLayer(o.generatorActivation, o.leakyReluAlpha), x);
  }
  const size = o.dataShape.reduce((a, b) => a * b, 1);
  x = apply(
    tf.layers.dense({ units: size, activation: o.outputActivation, kernelInitializer: init() }),
    x,
  );
  // [batch, prod(dataShape)] -> [batch, ...dataShape]
  if (o.dataShape.length > 1) x = apply(tf.layers.reshape({ targetShape: o.dataShape }), x);
  return tf.model({ inputs, outputs: x });
}

function hiddenLayer(
  o: ResolvedMlpGANOptions,
  x: tf.SymbolicTensor,
  units: number,
  index: number,
  init: InitFactory,
): tf.SymbolicTensor {
  const maxout = o.discriminatorActivation === 'maxout';
  const norm = index === 0 ? 'none' : o.discriminatorNorm;
  const outputs = maxout ? units * o.maxoutPieces : units;
  let y = apply(
    tf.layers.dense({ units: outputs, useBias: norm !== 'batch', kernelInitializer: init() }),
    x,
  );
  y = apply(normLayer(norm, o.batchNormMomentum), y);
  if (maxout) return apply(new Maxout({ pieces: o.maxoutPieces }), y);
  return apply(
    activationLayer(o.discriminatorActivation as 'relu' | 'leakyRelu', o.leakyReluAlpha),
    y,
  );
}

function buildDiscriminator(
  o: ResolvedMlpGANOptions,
  init: InitFactory,
  random: RandomStream,
): tf.LayersModel {
  const input = tf.input({ shape: o.dataShape });
  const labels = discriminatorLabels(o);
  // [batch, ...dataShape] -> [batch, prod(dataShape)]
  let x = o.dataShape.length > 1 ? apply(tf.layers.flatten(), input) : input;
  // [batch, f] -> [batch / m, m·f]: each pack of m samples is one input.
  if (o.packing > 1) x = apply(packSamples({ size: o.packing }), x);
  const last = o.discriminatorUnits.length - 1;
  o.discriminatorUnits.forEach((units, i) => {
    if (i === last && o.minibatchStdDev !== false) {
      const groupSize = o.minibatchStdDev === true ? 4 : o.minibatchStdDev;
      x = apply(minibatchStdDev({ groupSize }), x); // [batch, f] -> [batch, f + 1]
    }
    x = hiddenLayer(o, x, units, i, init);
  });
  if (o.minibatchDiscrimination) {
    const { numKernels, kernelDim } = o.minibatchDiscrimination;
    // [batch, units] -> [batch, units + numKernels]
    x = apply(minibatchDiscrimination({ numKernels, kernelDim, seed: random.nextSeed() }), x);
  }
  const dense = (units: number) => tf.layers.dense({ units, kernelInitializer: init() });
  if (o.packing > 1) {
    // [batch / m, 1] -> [batch, 1]: every sample gets its pack's logit.
    const logit = apply(repeatPacks({ size: o.packing }), apply(dense(1), x));
    return tf.model({ inputs: input, outputs: logit });
  }
  const outputs = discriminatorOutputs(x, labels, o, dense, random);
  return tf.model({
    inputs: labels ? [input, labels] : input,
    outputs: outputs.length === 1 ? outputs[0] : outputs,
  });
}
