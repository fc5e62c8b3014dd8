import type * as tf from '@tensorflow/tfjs';

import { checkBoolean, checkInteger, checkInterval, checkOptions, describeValue } from '../errors';
import { checkSeries, estimate } from './frequency';

/**
 * Options of {@link frequencyDistance}.
 *
 * @category Metrics
 */
export interface FrequencyDistanceOptions {
  /** Refine each peak between DFT bins (see {@link dominantFrequencies}). @defaultValue true */
  refine?: boolean;
  /**
   * Histogram bins. @defaultValue `⌊length/2⌋ + 1`: one per DFT bin `0 … ⌊length/2⌋`,
   * centred on it
   */
  bins?: number;
  /**
   * `[lo, hi]` covered by the histogram, in cycles per series; frequencies outside it are
   * left out of the histogram (not out of the distances). @defaultValue `[-0.5, ⌊length/2⌋ + 0.5]`
   */
  range?: [number, number];
}

/**
 * What {@link frequencyDistance} measured, in cycles per series.
 *
 * @category Metrics
 */
export interface FrequencyDistance {
  /**
   * The Wasserstein-1 (earth mover's) distance between the two empirical distributions of
   * dominant frequency, `∫ |F(f) − G(f)| df`; for two sets of the same size, the mean of
   * `|f_(i) − g_(i)|` over the sorted values. In cycles per series; 0 for equal sets.
   */
  wasserstein: number;
  /** The Kolmogorov–Smirnov statistic `sup_f |F(f) − G(f)|`, in [0, 1]. */
  kolmogorovSmirnov: number;
  /** Mean dominant frequency of the real series. */
  realMean: number;
  /** Mean dominant frequency of the generated series. */
  fakeMean: number;
  /** The two histograms over the same bins, as fractions of each set's series. */
  histogram: {
    /** `bins + 1` bin edges in increasing order; bin `i` is `[edges[i], edges[i+1])`. */
    edges: number[];
    /** Fraction of the real series in each bin. */
    real: number[];
    /** Fraction of the generated series in each bin. */
    fake: number[];
  };
}

/**
 * Compares generated and real series by their dominant frequencies: the Wasserstein-1 distance
 * and Kolmogorov–Smirnov statistic between the two empirical distributions, their means and
 * their histograms.
 *
 * Each series' frequency is estimated by {@link dominantFrequencies}. With `F` and `G` the
 * empirical distribution functions of the real and generated frequencies, the Wasserstein
 * distance is `∫ |F − G|` and the KS statistic `max |F − G|`; the sets may differ in size.
 * Compare against the same distance between two independent real sets, which is not 0 for
 * finite sets: it is the floor a perfect generator would reach.
 *
 * @param real - real series `[n, length, channels]`; read, not disposed.
 * @param fake - generated series `[m, length, channels]`, same length and channels.
 * @param options - see {@link FrequencyDistanceOptions}.
 * @returns plain numbers (see {@link FrequencyDistance}).
 * @throws TypeError when an argument is not a tensor or an option has the wrong type;
 *   RangeError for shapes that differ or are not `[batch, length, channels]`, `bins < 1`.
 * @example
 * ```ts
 * import { frequencyDistance, noisySines } from 'tfjs-gan';
 * const real = noisySines({ count: 500, length: 64, frequencyRange: [2, 8], seed: 1 });
 * const fake = noisySines({ count: 500, length: 64, frequencyRange: [2, 12], seed: 2 });
 * const { wasserstein, kolmogorovSmirnov } = await frequencyDistance(real, fake);
 * // wasserstein ≈ 2 cycles per series: the means are 5 and 7
 * real.dispose();
 * fake.dispose();
 * ```
 * @category Metrics
 */
export async function frequencyDistance(
  real: tf.Tensor,
  fake: tf.Tensor,
  options: FrequencyDistanceOptions = {},
): Promise<FrequencyDistance> {
  const where = 'frequencyDistance';
  checkOptions(where, options, ['refine', 'bins', 'range']);
  const refine = checkBoolean(where, 'refine', options.refine ?? true);
  const [n, length, channels] = checkSeries(where, 'real', real);
  const [m, fakeLength, fakeChannels] = checkSeries(where, 'fake', fake);
  if (fakeLength !== length || fakeChannels !== channels) {
    throw new RangeError(
      `${where}: real and fake must have the same length and channels, got ` +
        `${describeValue(real.shape)} and ${describeValue(fake.shape)}.`,
    );
  }
  const top = Math.floor(length / 2);
  const bins = checkInteger(where, 'bins', options.bins ?? top + 1, 1);
  const range = checkInterval(where, 'range', options.range ?? [-0.5, top + 0.5]);
  if (range[0] === range[1]) {
    throw new RangeError(`${where}: range must have lo < hi, got [${range[0]},${range[1]}].`);
  }
  const f = estimate(await real.data(), n, length, channels, refine).sort((a, b) => a - b);
  const g = estimate(await fake.data(), m, length, channels, refine).sort((a, b) => a - b);
  const edges = Array.from({ length: bins + 1 }, (_, i) =>
    i === bins ? range[1] : range[0] + ((range[1] - range[0]) * i) / bins,
  );
  return {
    ...compareSorted(f, g),
    realMean: f.reduce((s, v) => s + v, 0) / n,
    fakeMean: g.reduce((s, v) => s + v, 0) / m,
    histogram: { edges, real: histogram(f, range, bins), fake: histogram(g, range, bins) },
  };
}

/** `∫|F − G|` and `max|F − G|` of the empirical distributions of two sorted samples. */
function compareSorted(
  f: number[],
  g: number[],
): Pick<FrequencyDistance, 'wasserstein' | 'kolmogorovSmirnov'> {
  let [i, j, wasserstein, kolmogorovSmirnov] = [0, 0, 0, 0];
  while (i < f.length || j < g.length) {
    // The next jump point of F or G; both step past every value equal to it.
    const x = Math.min(f[i] ?? Infinity, g[j] ?? Infinity);
    while (i < f.length && f[i] === x) i++;
    while (j < g.length && g[j] === x) j++;
    const gap = Math.abs(i / f.length - j / g.length);
    kolmogorovSmirnov = Math.max(kolmogorovSmirnov, gap);
    const next = Math.min(f[i] ?? Infinity, g[j] ?? Infinity);
    // Past the last value both functions are 1 and the gap is 0.
    if (next !== Infinity) wasserstein += gap * (next - x);
  }
  return { wasserstein, kolmogorovSmirnov };
}

function histogram(sorted: number[], [lo, hi]: [number, number], bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of sorted) {
    if (v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]++;
  }
  return counts.map((c) => c / sorted.length);
}
