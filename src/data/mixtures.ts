import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkOptions, checkPositive, describeValue } from '../errors';
import { RandomStream } from '../random';

/**
 * Options of {@link ringMixture}.
 *
 * @category Data
 */
export interface RingMixtureOptions {
  /** Number of modes, evenly spaced on the circle starting at angle 0. @defaultValue 8 */
  modes?: number;
  /** Radius of the circle. @defaultValue 1 */
  radius?: number;
  /** Standard deviation of each mode, in every coordinate. @defaultValue 0.01 */
  stddev?: number;
}

/**
 * Options of {@link gridMixture}.
 *
 * @category Data
 */
export interface GridMixtureOptions {
  /** Modes per side; the grid has `side²` modes. @defaultValue 5 */
  side?: number;
  /** Distance between neighbouring modes; the grid is centred on 0. @defaultValue 2 */
  spacing?: number;
  /** Standard deviation of each mode, in every coordinate. @defaultValue 0.05 */
  stddev?: number;
}

/**
 * An equal-weight mixture of isotropic Gaussians, `p(x) = (1/K) Σ_k N(x; μ_k, σ² I)`: the
 * synthetic data on which mode collapse is measured (see {@link mixtureQuality}).
 *
 * Sampling is seeded and runs in JavaScript (a mode drawn uniformly, then Box–Muller normals
 * from one {@link RandomStream}), so the same seed gives the same points on every backend.
 *
 * @see Metz, Poole, Pfau, Sohl-Dickstein 2017, "Unrolled Generative Adversarial Networks",
 *   section 3.1 (the ring), https://arxiv.org/abs/1611.02163
 * @see Lin, Khetan, Fanti, Oh 2018, "PacGAN: The power of two samples in generative
 *   adversarial networks", section 5 (ring and grid), https://arxiv.org/abs/1712.04086
 * @example
 * ```ts
 * import { GaussianMixture } from 'tfjs-gan';
 * const mixture = new GaussianMixture([[-1, 0], [1, 0]], 0.1);
 * const points = mixture.sample(500, 42); // [500, 2]
 * points.dispose();
 * ```
 * @category Data
 */
export class GaussianMixture {
  /** The modes' means, `K` points of `dimension` coordinates. */
  readonly means: readonly (readonly number[])[];
  /** The standard deviation of every mode in every coordinate. */
  readonly stddev: number;

  /**
   * @param means - `K >= 1` means, each an array of the same length `>= 1`.
   * @param stddev - the standard deviation `σ > 0`.
   * @throws TypeError when `means` is not an array of arrays of finite numbers.
   * @throws RangeError when `means` is empty, the means differ in length, or `σ <= 0`.
   */
  constructor(means: readonly (readonly number[])[], stddev: number) {
    this.means = checkMeans('GaussianMixture', means);
    this.stddev = checkPositive('GaussianMixture', 'stddev', stddev);
  }

  /** Number of modes `K`. */
  get modes(): number {
    return this.means.length;
  }

  /** Length of each point. */
  get dimension(): number {
    return this.means[0].length;
  }

  /**
   * Draws `count` points, each from a mode picked uniformly at random.
   *
   * @param count - how many points, an integer >= 1.
   * @param seed - an integer or string; the same seed gives the same points.
   * @returns `[count, dimension]` float32, owned by the caller.
   * @throws TypeError or RangeError when `count` is not an integer >= 1.
   */
  sample(count: number, seed: number | string): tf.Tensor2D {
    checkInteger('GaussianMixture.sample', 'count', count, 1);
    return this.draw(count, new RandomStream(seed));
  }

  /**
   * An endless stream of fresh batches, for `Trainer.fit` with a `steps` limit.
   *
   * @param batchSize - points per batch, an integer >= 1.
   * @param seed - seed of the stream; the same seed gives the same batches in order.
   * @returns an iterable whose every batch is `[batchSize, dimension]`, owned by the consumer.
   * @throws TypeError or RangeError when `batchSize` is not an integer >= 1.
   */
  batches(batchSize: number, seed: number | string): Iterable<tf.Tensor2D> {
    checkInteger('GaussianMixture.batches', 'batchSize', batchSize, 1);
    const random = new RandomStream(seed);
    const draw = () => this.draw(batchSize, random);
    return {
      *[Symbol.iterator]() {
        for (;;) yield draw();
      },
    };
  }

  private draw(count: number, random: RandomStream): tf.Tensor2D {
    const d = this.dimension;
    const values = new Float32Array(count * d);
    for (let i = 0; i < count; i++) {
      const mean = this.means[random.nextInt(this.modes)];
      for (let j = 0; j < d; j++) values[i * d + j] = mean[j] + this.stddev * normal(random);
    }
    return tf.tensor2d(values, [count, d], 'float32');
  }
}

/** A standard normal draw by the Box–Muller transform; `1 - u` keeps the log finite. */
export function normal(random: RandomStream): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function checkMeans(where: string, means: unknown): number[][] {
  const ok =
    Array.isArray(means) &&
    means.every(
      (m) => Array.isArray(m) && m.every((v) => typeof v === 'number' && Number.isFinite(v)),
    );
  if (!ok) {
    throw new TypeError(
      `${where}: means must be an array of points (arrays of finite numbers), ` +
        `got ${describeValue(means)}.`,
    );
  }
  const points = means as number[][];
  const dimension = points[0]?.length ?? 0;
  if (points.length === 0 || dimension === 0 || points.some((m) => m.length !== dimension)) {
    throw new RangeError(
      `${where}: means must hold at least one point, all of the same length >= 1, ` +
        `got lengths ${describeValue(points.map((m) => m.length))}.`,
    );
  }
  return points.map((m) => [...m]);
}

/**
 * The 2-D ring: `modes` Gaussians with means `radius·(cos 2πk/K, sin 2πk/K)` and standard
 * deviation `stddev`; by default 8 modes on the unit circle with σ = 0.01, as in the
 * unrolled-GAN, VEEGAN and PacGAN experiments.
 *
 * @see Lin et al. 2018, "PacGAN", section 5, https://arxiv.org/abs/1712.04086
 * @param options - see {@link RingMixtureOptions}.
 * @returns the mixture.
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import { ringMixture } from 'tfjs-gan';
 * const ring = ringMixture(); // 8 modes, radius 1, stddev 0.01
 * const batch = ring.sample(256, 1); // [256, 2]
 * batch.dispose();
 * ```
 * @category Data
 */
export function ringMixture(options: RingMixtureOptions = {}): GaussianMixture {
  const where = 'ringMixture';
  checkOptions(where, options, ['modes', 'radius', 'stddev']);
  const modes = checkInteger(where, 'modes', options.modes ?? 8, 1);
  const radius = checkPositive(where, 'radius', options.radius ?? 1);
  const means = Array.from({ length: modes }, (_, k) => {
    const angle = (2 * Math.PI * k) / modes;
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  });
  return new GaussianMixture(means, options.stddev ?? 0.01);
}

/**
 * The 2-D grid: `side²` Gaussians with means at `{-(side-1)/2, …, (side-1)/2}² · spacing`
 * and standard deviation `stddev`; by default 25 modes at `{-4, -2, 0, 2, 4}²` with σ = 0.05,
 * as in the VEEGAN and PacGAN experiments.
 *
 * @see Lin et al. 2018, "PacGAN", section 5, https://arxiv.org/abs/1712.04086
 * @param options - see {@link GridMixtureOptions}.
 * @returns the mixture, modes in row-major order (x slowest).
 * @throws TypeError or RangeError for a bad option.
 * @example
 * ```ts
 * import { gridMixture } from 'tfjs-gan';
 * const grid = gridMixture(); // 25 modes, stddev 0.05
 * const batch = grid.sample(256, 1); // [256, 2]
 * batch.dispose();
 * ```
 * @category Data
 */
export function gridMixture(options: GridMixtureOptions = {}): GaussianMixture {
  const where = 'gridMixture';
  checkOptions(where, options, ['side', 'spacing', 'stddev']);
  const side = checkInteger(where, 'side', options.side ?? 5, 1);
  const spacing = checkPositive(where, 'spacing', options.spacing ?? 2);
  const offset = (side - 1) / 2;
  const means: number[][] = [];
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) means.push([(i - offset) * spacing, (j - offset) * spacing]);
  }
  return new GaussianMixture(means, options.stddev ?? 0.05);
}
