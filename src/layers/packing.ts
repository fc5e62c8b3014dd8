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
 * Options of {@link PackSamples} and {@link RepeatPacks}.
 *
 * @category Layers
 */
export interface PackingLayerArgs extends BaseLayerArgs {
  /** Samples per pack, `m` in Lin et al. 2018 (PacGAN2, PacGAN4: 2 and 4). */
  size: number;
}

function packSize(where: string, args: PackingLayerArgs): number {
  checkLayerArgs(where, args, ['size']);
  return checkInteger(where, 'size', (args as Partial<PackingLayerArgs> | null)?.size, 1);
}

/** Throws unless `batch` (when known) is a multiple of `size`. */
function checkBatch(where: string, batch: number | null, size: number): void {
  if (batch != null && batch % size !== 0) {
    throw new RangeError(
      `${where}: the batch must be a multiple of the pack size ${size}, got a batch of ${batch}.`,
    );
  }
}

/**
 * Packing (PacGAN): concatenates each run of `m` consecutive samples into one, so a
 * discriminator built on top judges `m` samples jointly and sees how varied they are.
 *
 * Samples `p·m … p·m + m − 1` form pack `p`. Input `[batch, features]` gives
 * `[batch / m, m·features]` (the samples side by side); input
 * `[batch, height, width, channels]` gives `[batch / m, height, width, m·channels]` (the
 * samples stacked on the channels, sample by sample). Real and fake batches pass through the
 * discriminator separately, so a pack is all real or all fake. Put {@link RepeatPacks} after
 * the logit to get one per sample back.
 *
 * @see Lin, Khetan, Fanti, Oh 2018, "PacGAN: The power of two samples in generative
 *   adversarial networks", section 2, https://arxiv.org/abs/1712.04086
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { PackSamples } from 'tfjs-gan';
 * const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
 * const packed = new PackSamples({ size: 2 }).apply(x) as tf.Tensor; // [[1, 2, 3, 4], [5, 6, 7, 8]]
 * ```
 * @category Layers
 */
export class PackSamples extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'PackSamples';
  /** Samples per pack. */
  readonly size: number;

  /**
   * @param args - see {@link PackingLayerArgs}.
   * @throws TypeError or RangeError when `size` is not an integer ≥ 1 or an option is unknown.
   */
  constructor(args: PackingLayerArgs) {
    const size = packSize('PackSamples', args);
    super(args);
    this.size = size;
  }

  /**
   * @returns `[batch / m, m·features]` or `[batch / m, height, width, m·channels]`.
   * @throws RangeError unless the input has rank 2 or 4 and a batch divisible by `size`.
   */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, ...rest] = singleShape(inputShape);
    checkInputRank('PackSamples', [batch, ...rest], [2, 4]);
    checkBatch('PackSamples', batch, this.size);
    const last = rest[rest.length - 1];
    return [
      batch == null ? null : batch / this.size,
      ...rest.slice(0, -1),
      last == null ? null : last * this.size,
    ];
  }

  /** @returns the packed samples (see the class summary). */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs);
      const [batch, ...rest] = x.shape;
      checkInputRank('PackSamples', x.shape, [2, 4]);
      checkBatch('PackSamples', batch, this.size);
      const packs = batch / this.size;
      // [N, F] -> [N/m, m·F]: a row-major reshape puts pack p's samples side by side.
      if (rest.length === 1) return tf.reshape(x, [packs, this.size * rest[0]]);
      const [height, width, channels] = rest;
      // [N, H, W, C] -> [N/m, m, H, W, C] -> [N/m, H, W, m, C] -> [N/m, H, W, m·C]
      const grouped = tf.reshape(x, [packs, this.size, height, width, channels]);
      const moved = tf.transpose(grouped, [0, 2, 3, 1, 4]);
      return tf.reshape(moved, [packs, height, width, this.size * channels]);
    });
  }

  /** @returns the config, with `size`, that rebuilds this layer. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size };
  }
}
registerLayer(PackSamples);

/**
 * Repeats each row of a packed network's output `m` times, `[batch / m, …]` →
 * `[batch, …]`, so a discriminator that packs its input ({@link PackSamples}) still returns
 * one logit per sample: every sample of a pack gets its pack's logit. A mean of a per-sample
 * loss over the batch then equals the mean over the packs, so any loss and the Trainer work
 * unchanged.
 *
 * @see Lin, Khetan, Fanti, Oh 2018, "PacGAN", https://arxiv.org/abs/1712.04086
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { RepeatPacks } from 'tfjs-gan';
 * const logits = tf.tensor2d([[0.5], [-1]]);
 * const each = new RepeatPacks({ size: 2 }).apply(logits) as tf.Tensor; // [[0.5], [0.5], [-1], [-1]]
 * ```
 * @category Layers
 */
export class RepeatPacks extends tf.layers.Layer {
  /** The name under which the class is registered for serialisation. */
  static readonly className = 'RepeatPacks';
  /** Samples per pack. */
  readonly size: number;

  /**
   * @param args - see {@link PackingLayerArgs}.
   * @throws TypeError or RangeError when `size` is not an integer ≥ 1 or an option is unknown.
   */
  constructor(args: PackingLayerArgs) {
    const size = packSize('RepeatPacks', args);
    super(args);
    this.size = size;
  }

  /** @returns the input shape with the batch multiplied by `size`. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, ...rest] = singleShape(inputShape);
    return [batch == null ? null : batch * this.size, ...rest];
  }

  /** @returns each row repeated `size` times in place. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleTensor(inputs);
      const [packs, ...rest] = x.shape;
      // [P, ...R] -> [P, 1, ...R] -> [P, m, ...R] -> [P·m, ...R]
      const tiled = tf.tile(tf.expandDims(x, 1), [1, this.size, ...rest.map(() => 1)]);
      return tf.reshape(tiled, [packs * this.size, ...rest]);
    });
  }

  /** @returns the config, with `size`, that rebuilds this layer. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size };
  }
}
registerLayer(RepeatPacks);

/**
 * Creates a {@link PackSamples} layer.
 *
 * @param args - see {@link PackingLayerArgs}.
 * @returns the layer: `[batch, f]` → `[batch / m, m·f]`, `[batch, h, w, c]` → `[batch / m, h, w, m·c]`.
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { packSamples } from 'tfjs-gan';
 * const points = tf.input({ shape: [2] });
 * const packed = packSamples({ size: 4 }).apply(points); // [null, 8]
 * ```
 * @category Layers
 */
export function packSamples(args: PackingLayerArgs): PackSamples {
  return new PackSamples(args);
}

/**
 * Creates a {@link RepeatPacks} layer.
 *
 * @param args - see {@link PackingLayerArgs}.
 * @returns the layer: `[batch / m, …]` → `[batch, …]`.
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { repeatPacks } from 'tfjs-gan';
 * const logits = tf.input({ shape: [1] });
 * const each = repeatPacks({ size: 4 }).apply(logits); // [null, 1]
 * ```
 * @category Layers
 */
export function repeatPacks(args: PackingLayerArgs): RepeatPacks {
  return new RepeatPacks(args);
}
