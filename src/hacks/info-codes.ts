import * as tf from '@tensorflow/tfjs';

import { checkBoolean, checkInteger, checkNumber, checkOptions, describeValue } from '../errors';
import { RandomStream } from '../random';
import type { LatentSampler } from './latent';

/**
 * Options of {@link infoGanCodes}.
 *
 * @category Hacks
 */
export interface InfoGanCodesOptions {
  /** Length of the incompressible noise `z'`, drawn from `N(0, 1)`, an integer >= 1. */
  noiseDim: number;
  /**
   * The number of values of each categorical code, each an integer >= 2, e.g. `[10]` for
   * one code of ten values (the digit class on MNIST). @defaultValue []
   */
  categorical?: number[];
  /** How many continuous codes, each drawn from `U[-1, 1)`, an integer >= 0. @defaultValue 0 */
  continuous?: number;
  /**
   * Whether Q also predicts a log standard deviation for each continuous code (a Gaussian
   * with learned variance); otherwise the variance is fixed to 1 and the loss is half the
   * squared error, as in the paper's MNIST experiment. @defaultValue false
   */
  learnedStd?: boolean;
}

/**
 * Chosen code values for {@link InfoGanCodes.latents}: per code, one value for every sample,
 * an array of one value per sample, or `null` to draw it.
 *
 * @category Hacks
 */
export interface InfoGanCodeValues {
  /** One entry per categorical code: a value in `[0, K)`, an array of them, or `null`. */
  categorical?: (number | number[] | null)[];
  /** One entry per continuous code: a number (the prior is `[-1, 1)`), an array, or `null`. */
  continuous?: (number | number[] | null)[];
  /** The noise `[count, noiseDim]` to use instead of drawing it; not disposed. */
  noise?: tf.Tensor;
  /** Seed of everything drawn; the same seed gives the same latents. @defaultValue random */
  seed?: number;
}

/**
 * The latent codes of an InfoGAN, made by {@link infoGanCodes}: the layout of the generator's
 * input `z = [noise, one-hot categorical codes, continuous codes]` and of the discriminator's
 * auxiliary Q output `[logits of each categorical code, means, (log-stds)]`.
 *
 * @category Hacks
 */
export interface InfoGanCodes {
  /** Length of the noise part. */
  readonly noiseDim: number;
  /** The number of values of each categorical code. */
  readonly categorical: readonly number[];
  /** How many continuous codes. */
  readonly continuous: number;
  /** Whether Q predicts a log standard deviation for each continuous code. */
  readonly learnedStd: boolean;
  /** Length of `z`: `noiseDim + ΣK + continuous`. */
  readonly latentDim: number;
  /** Width of Q's output: `ΣK + continuous` (`ΣK + 2·continuous` with `learnedStd`). */
  readonly auxiliaryDim: number;
  /** The Trainer's `latentSampler`: noise `N(0, 1)`, codes uniform, seeded. */
  readonly sampler: LatentSampler;
  /**
   * Builds `count` latents with chosen code values, e.g. to sweep one code across a row.
   * @param count - how many, an integer >= 1.
   * @param values - see {@link InfoGanCodeValues}. @defaultValue `{}`
   * @returns `[count, latentDim]`, owned by the caller.
   * @throws TypeError or RangeError for a bad count, value, noise or seed.
   */
  latents(count: number, values?: InfoGanCodeValues): tf.Tensor2D;
}

interface Resolved {
  noiseDim: number;
  categorical: number[];
  continuous: number;
  learnedStd: boolean;
}

/** Values of one code for `count` samples, checked; `null` when it is to be drawn. */
function codeValues(
  where: string,
  name: string,
  value: number | number[] | null | undefined,
  count: number,
  classes?: number,
): number[] | null {
  if (value === null || value === undefined) return null;
  const list = Array.isArray(value) ? value : new Array<number>(count).fill(value);
  if (list.length !== count) {
    throw new RangeError(`${where}: ${name} must have ${count} values, got ${list.length}.`);
  }
  list.forEach((v, i) => {
    const at = Array.isArray(value) ? `${name}[${i}]` : name;
    if (classes === undefined) return void checkNumber(where, at, v);
    checkInteger(where, at, v, 0);
    if (v >= classes) {
      throw new RangeError(`${where}: ${at} must be a value in [0, ${classes - 1}], got ${v}.`);
    }
  });
  return list;
}

/** `z = [noise, one-hots, continuous]`, each part chosen or drawn with the next seed. */
function buildLatents(
  codes: Resolved,
  count: number,
  seed: number,
  chosen: { categorical: (number[] | null)[]; continuous: (number[] | null)[]; noise?: tf.Tensor },
): tf.Tensor2D {
  const random = new RandomStream(seed);
  return tf.tidy(() => {
    const noiseSeed = random.nextSeed();
    const parts: tf.Tensor[] = [
      chosen.noise
        ? tf.cast(chosen.noise, 'float32')
        : tf.randomNormal([count, codes.noiseDim], 0, 1, 'float32', noiseSeed),
    ];
    codes.categorical.forEach((classes, i) => {
      const codeSeed = random.nextSeed();
      const given = chosen.categorical[i];
      const indices = given
        ? tf.tensor1d(given, 'int32')
        : tf.randomUniformInt([count], 0, classes, codeSeed);
      parts.push(tf.oneHot(indices, classes).toFloat()); // [count, K]
    });
    for (let j = 0; j < codes.continuous; j++) {
      const codeSeed = random.nextSeed();
      const given = chosen.continuous[j];
      parts.push(
        given
          ? tf.tensor2d(given, [count, 1])
          : tf.randomUniform([count, 1], -1, 1, 'float32', codeSeed),
      );
    }
    return tf.concat(parts, 1) as tf.Tensor2D;
  });
}

function resolve(where: string, options: InfoGanCodesOptions): Resolved {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object with noiseDim, got ${options}.`);
  }
  checkOptions(where, options, ['noiseDim', 'categorical', 'continuous', 'learnedStd']);
  const categorical = options.categorical ?? [];
  if (!Array.isArray(categorical)) {
    throw new TypeError(
      `${where}: categorical must be an array of value counts, got ${describeValue(categorical)}.`,
    );
  }
  categorical.forEach((k, i) => checkInteger(where, `categorical[${i}]`, k, 2));
  const resolved = {
    noiseDim: checkInteger(where, 'noiseDim', options.noiseDim, 1),
    categorical: [...categorical],
    continuous: checkInteger(where, 'continuous', options.continuous ?? 0, 0),
    learnedStd: checkBoolean(where, 'learnedStd', options.learnedStd ?? false),
  };
  if (resolved.categorical.length === 0 && resolved.continuous === 0) {
    throw new RangeError(`${where}: give at least one code (categorical or continuous), got none.`);
  }
  return resolved;
}

/**
 * Describes the latent codes of an InfoGAN: the generator's input is
 * `z = [noise ~ N(0, 1), one-hot c_i ~ Cat(K_i), continuous c_j ~ U[-1, 1)]`, and the
 * discriminator's auxiliary Q output predicts the codes back from the sample. Pass
 * `codes.sampler` as the Trainer's `latentSampler`, {@link mutualInformationHead}`(codes)` as
 * its `auxiliaryHead`, and build the networks with `new DCGAN({ ..., infoCodes: codes })`.
 *
 * @see Chen et al. 2016, "InfoGAN: Interpretable Representation Learning by Information
 *   Maximizing Generative Adversarial Nets", https://arxiv.org/abs/1606.03657
 * @param options - see {@link InfoGanCodesOptions}.
 * @returns the {@link InfoGanCodes}.
 * @throws TypeError or RangeError when an option is invalid or unknown, or there is no code.
 * @example
 * ```ts
 * import { infoGanCodes } from 'tfjs-gan';
 * const codes = infoGanCodes({ categorical: [10], continuous: 2, noiseDim: 62 });
 * codes.latentDim; // 74
 * const z = codes.sampler(64, codes.latentDim, 1); // [64, 74]
 * // Digit code 3, the first continuous code swept from -1 to 1, the second at 0.
 * const row = codes.latents(5, { categorical: [3], continuous: [[-1, -0.5, 0, 0.5, 1], 0], seed: 2 });
 * z.dispose(); row.dispose();
 * ```
 * @category Hacks
 */
export function infoGanCodes(options: InfoGanCodesOptions): InfoGanCodes {
  const where = 'infoGanCodes';
  const codes = resolve(where, options);
  const sum = codes.categorical.reduce((a, b) => a + b, 0);
  const latentDim = codes.noiseDim + sum + codes.continuous;
  const sampler: LatentSampler = (batchSize, dim, seed) => {
    checkInteger(`${where}.sampler`, 'batchSize', batchSize, 1);
    if (dim !== latentDim) {
      throw new RangeError(
        `${where}.sampler: latentDim must be the codes' latentDim, ${latentDim}, got ${dim}.`,
      );
    }
    return buildLatents(codes, batchSize, seed, { categorical: [], continuous: [] });
  };
  const latents = (count: number, values: InfoGanCodeValues = {}): tf.Tensor2D => {
    const at = `${where}.latents`;
    checkInteger(at, 'count', count, 1);
    checkOptions(at, values, ['categorical', 'continuous', 'noise', 'seed']);
    const seed = values.seed ?? Math.floor(Math.random() * 2 ** 31);
    checkInteger(at, 'seed', seed, Number.MIN_SAFE_INTEGER);
    const entries = (name: 'categorical' | 'continuous', codeCount: number) => {
      const given = values[name] ?? [];
      if (!Array.isArray(given) || given.length > codeCount) {
        throw new RangeError(
          `${at}: ${name} must be an array of at most ${codeCount} code value(s), got ` +
            `${describeValue(given)}.`,
        );
      }
      return Array.from({ length: codeCount }, (_, i) =>
        codeValues(
          at,
          `${name}[${i}]`,
          given[i],
          count,
          name === 'categorical' ? codes.categorical[i] : undefined,
        ),
      );
    };
    const noise = values.noise;
    if (noise !== undefined) {
      const ok = noise instanceof tf.Tensor && !noise.isDisposed;
      if (
        !ok ||
        noise.rank !== 2 ||
        noise.shape[0] !== count ||
        noise.shape[1] !== codes.noiseDim
      ) {
        throw new RangeError(
          `${at}: noise must be a tensor of shape [${count},${codes.noiseDim}], got ` +
            `${describeValue(ok ? noise.shape : noise)}.`,
        );
      }
    }
    return buildLatents(codes, count, seed, {
      categorical: entries('categorical', codes.categorical.length),
      continuous: entries('continuous', codes.continuous),
      noise,
    });
  };
  return Object.freeze<InfoGanCodes>({
    ...codes,
    categorical: Object.freeze(codes.categorical),
    latentDim,
    auxiliaryDim: sum + codes.continuous * (codes.learnedStd ? 2 : 1),
    sampler,
    latents,
  });
}
