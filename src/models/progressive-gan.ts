import type * as tf from '@tensorflow/tfjs';

import { checkBoolean, checkInteger, checkOptions, checkRange, describeValue } from '../errors';
import type { FadeIn } from '../layers/fade-in';
import {
  buildDiscriminator,
  buildGenerator,
  resolutionOf,
  stageLayers,
  type ProgressiveLayerPlan,
  type StageLayers,
  type StageNetwork,
} from './progressive-layers';

/**
 * Options of {@link ProgressiveGAN}.
 *
 * @category Models
 */
export interface ProgressiveGANOptions {
  /**
   * `[size, size, channels]` of the final images, with `size` 4 doubled zero or more times
   * (4, 8, 16, 32, 64, …), e.g. `[32, 32, 1]`. Training starts at 4×4.
   */
  imageShape: [number, number, number];
  /** Length of the latent vector `z`. @defaultValue 128 */
  latentDim?: number;
  /**
   * Filters of the stage at the final resolution; each stage below it doubles them, up to
   * `maxFilters`. @defaultValue 16
   */
  baseFilters?: number;
  /** The most filters any stage has (the paper's 512). @defaultValue 128 */
  maxFilters?: number;
  /** Kernel side of the 3×3 convolutions of each block. @defaultValue 3 */
  kernelSize?: number;
  /** Negative slope of leaky ReLU. @defaultValue 0.2 */
  leakyReluAlpha?: number;
  /** Pixel normalisation of `z` and after every generator convolution. @defaultValue true */
  pixelNorm?: boolean;
  /**
   * A {@link MinibatchStdDev} layer at the start of the discriminator's 4×4 block: `true` for
   * groups of 4, a group size, or `false`. @defaultValue true
   */
  minibatchStdDev?: boolean | number;
  /** Seed of the weight initialisation; omit for a random one. */
  seed?: number;
}

/**
 * {@link ProgressiveGANOptions} with every default filled in.
 *
 * @category Models
 */
export interface ResolvedProgressiveGANOptions extends Required<
  Omit<ProgressiveGANOptions, 'seed' | 'minibatchStdDev'>
> {
  /** Group size of the minibatch-stddev layer, or `false`. */
  minibatchStdDev: number | false;
  /** Seed of the weight initialisation (drawn at random when none was given). */
  seed: number;
}

const KEYS = [
  'imageShape',
  'latentDim',
  'baseFilters',
  'maxFilters',
  'kernelSize',
  'leakyReluAlpha',
  'pixelNorm',
  'minibatchStdDev',
  'seed',
];

function resolve(options: ProgressiveGANOptions): ResolvedProgressiveGANOptions {
  const where = 'ProgressiveGAN';
  checkOptions(where, options, KEYS);
  const shape = options.imageShape as unknown;
  const sizes = [4, 8, 16, 32, 64, 128, 256, 512, 1024];
  const ok =
    Array.isArray(shape) &&
    shape.length === 3 &&
    shape.every((d) => Number.isInteger(d) && d >= 1) &&
    shape[0] === shape[1] &&
    sizes.includes(shape[0]);
  if (!ok) {
    throw new RangeError(
      `${where}: imageShape must be [size, size, channels] with size 4, 8, 16, … (4 doubled ` +
        `up to 1024) and channels >= 1, got ${describeValue(shape)}.`,
    );
  }
  const stddev = options.minibatchStdDev ?? true;
  if (typeof stddev === 'number') checkInteger(where, 'minibatchStdDev (group size)', stddev, 1);
  else checkBoolean(where, 'minibatchStdDev', stddev);
  const resolved: ResolvedProgressiveGANOptions = {
    imageShape: [...options.imageShape],
    latentDim: checkInteger(where, 'latentDim', options.latentDim ?? 128, 1),
    baseFilters: checkInteger(where, 'baseFilters', options.baseFilters ?? 16, 1),
    maxFilters: checkInteger(where, 'maxFilters', options.maxFilters ?? 128, 1),
    kernelSize: checkInteger(where, 'kernelSize', options.kernelSize ?? 3, 1),
    leakyReluAlpha: checkRange(where, 'leakyReluAlpha', options.leakyReluAlpha ?? 0.2, 0, 1),
    pixelNorm: checkBoolean(where, 'pixelNorm', options.pixelNorm ?? true),
    minibatchStdDev: stddev === true ? 4 : stddev,
    seed: checkInteger(where, 'seed', options.seed ?? Math.floor(Math.random() * 2 ** 31), 0),
  };
  if (resolved.maxFilters < resolved.baseFilters) {
    throw new RangeError(
      `${where}: maxFilters must be >= baseFilters (${resolved.baseFilters}), got ` +
        `${resolved.maxFilters}.`,
    );
  }
  return resolved;
}

/**
 * A progressively growing GAN (ProGAN): both networks start at 4×4 and {@link ProgressiveGAN.grow}
 * adds a block to each, doubling the resolution, until the final image size. The new block
 * is faded in: during a fade the generator's output is
 * `(1 − α)·upsample(toRgb_old(h)) + α·toRgb_new(block(h))` and the discriminator's input path
 * `(1 − α)·fromRgb_old(avgPool(x)) + α·block(fromRgb_new(x))`, through a {@link FadeIn} layer
 * in each network whose `α` is {@link ProgressiveGAN.alpha}.
 *
 * Every stage's networks are ordinary `tf.LayersModel`s built from the same layer objects,
 * so a layer's weights carry over from one stage to the next. Generator block: nearest
 * upsampling, two 3×3 convolutions with leaky ReLU and pixel normalisation (the 4×4 block:
 * pixel-normalised `z`, a dense layer to 4×4, one convolution); `toRgb` is a 1×1 convolution
 * with `tanh`, so images are in [-1, 1]. Discriminator block: two 3×3 convolutions with leaky
 * ReLU and a 2×2 average pool (the 4×4 block: minibatch standard deviation, a convolution,
 * two dense layers to one logit); `fromRgb` is a 1×1 convolution with leaky ReLU. Filters:
 * `min(maxFilters, baseFilters·2^(stages − 1 − stage))`. Weights are He-initialised.
 * Train it with {@link ProgressiveTrainer}.
 *
 * @see Karras, Aila, Laine, Lehtinen 2018, "Progressive Growing of GANs for Improved Quality,
 * Stability, and Variation", https://arxiv.org/abs/1710.10196
 * @remarks The paper's equalised learning rate (weights scaled by He's constant at run time)
 * is not implemented; the weights are He-initialised instead. Growing disposes the previous
 * stage's two models (not their shared layers), so hold no reference to them. After the
 * fade the old path still runs, multiplied by `1 − α = 0`. The discriminator's average
 * pooling has no second-order gradient in TensorFlow.js 4.22, so a gradient penalty, R1, R2
 * or DRAGAN cannot be used with it.
 * @example
 * ```ts
 * import { ProgressiveGAN } from 'tfjs-gan';
 * const gan = new ProgressiveGAN({ imageShape: [16, 16, 1], latentDim: 32, seed: 1 });
 * gan.generator.outputs[0].shape; // [null, 4, 4, 1]
 * gan.grow(); // 8×8, alpha 0
 * gan.alpha = 0.5;
 * gan.dispose();
 * ```
 * @category Models
 */
export class ProgressiveGAN {
  /** The options with every default filled in. */
  readonly options: Readonly<ResolvedProgressiveGANOptions>;
  /** Filters of each stage, from 4×4 up. */
  readonly filters: readonly number[];
  private readonly plan: ProgressiveLayerPlan;
  private readonly layers: StageLayers[] = [];
  private current: { generator: StageNetwork; discriminator: StageNetwork };
  private alphaValue = 1;

  /**
   * @param options - see {@link ProgressiveGANOptions}.
   * @throws TypeError or RangeError for a bad option, naming it.
   */
  constructor(options: ProgressiveGANOptions) {
    this.options = resolve(options);
    const o = this.options;
    const stages = Math.log2(o.imageShape[0] / 4) + 1;
    this.filters = Array.from({ length: stages }, (_, s) =>
      Math.min(o.maxFilters, o.baseFilters * 2 ** (stages - 1 - s)),
    );
    this.plan = {
      latentDim: o.latentDim,
      channels: o.imageShape[2],
      filters: [...this.filters],
      kernelSize: o.kernelSize,
      leakyReluAlpha: o.leakyReluAlpha,
      pixelNorm: o.pixelNorm,
      minibatchStdDev: o.minibatchStdDev,
      seed: o.seed,
    };
    this.layers.push(stageLayers(this.plan, 0));
    this.current = this.build(0);
  }

  /** How many stages the networks grow through: 1 for 4×4, 4 for 32×32. */
  get stages(): number {
    return this.filters.length;
  }

  /** The current stage, 0 (4×4) to `stages − 1`. */
  get stage(): number {
    return this.layers.length - 1;
  }

  /** The side of the current stage's images: `4·2^stage`. */
  get resolution(): number {
    return resolutionOf(this.stage);
  }

  /** Length of `z`. */
  get latentDim(): number {
    return this.options.latentDim;
  }

  /** The current stage's generator: `z [batch, latentDim]` → `[batch, r, r, channels]`. */
  get generator(): tf.LayersModel {
    return this.current.generator.model;
  }

  /** The current stage's discriminator: `[batch, r, r, channels]` → logits `[batch, 1]`. */
  get discriminator(): tf.LayersModel {
    return this.current.discriminator.model;
  }

  /**
   * The fade weight `α` of both networks' {@link FadeIn} layers: 0 right after
   * {@link ProgressiveGAN.grow} (the networks compute exactly what the previous stage did, at
   * the new resolution), 1 once the new block is fully in. Always 1 at stage 0.
   *
   * @throws RangeError when set outside [0, 1], or to anything but 1 at stage 0.
   */
  get alpha(): number {
    return this.alphaValue;
  }

  /** Sets `α` of both fade layers; see the getter. */
  set alpha(value: number) {
    const alpha = checkRange('ProgressiveGAN', 'alpha', value, 0, 1);
    if (this.stage === 0 && alpha !== 1) {
      throw new RangeError(
        `ProgressiveGAN: alpha must be 1 at stage 0 (4×4 has nothing to fade in), got ${alpha}.`,
      );
    }
    for (const fade of this.fades()) fade.alpha = alpha;
    this.alphaValue = alpha;
  }

  /**
   * Adds the next stage's block to both networks and builds the new stage's models, with
   * `α = 0`. The previous stage's models are disposed; their layers live on in the new ones.
   *
   * @returns the new stage.
   * @throws RangeError when the networks are already at the final resolution.
   */
  grow(): number {
    if (this.stage === this.stages - 1) {
      throw new RangeError(
        `ProgressiveGAN.grow: the networks are already at the final resolution, ` +
          `${this.resolution}×${this.resolution} (stage ${this.stage}).`,
      );
    }
    this.layers.push(stageLayers(this.plan, this.stage + 1));
    const previous = this.current;
    this.current = this.build(this.stage);
    previous.generator.model.dispose();
    previous.discriminator.model.dispose();
    this.alpha = 0;
    return this.stage;
  }

  /** Frees every weight of every stage. */
  dispose(): void {
    this.current.generator.model.dispose();
    this.current.discriminator.model.dispose();
  }

  private fades(): FadeIn[] {
    const { generator, discriminator } = this.current;
    return [generator.fade, discriminator.fade].filter((f): f is FadeIn => f !== null);
  }

  private build(stage: number) {
    return {
      generator: buildGenerator(this.plan, this.layers, stage),
      discriminator: buildDiscriminator(this.plan, this.layers, stage),
    };
  }
}
