import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkOptions, checkTensor } from '../errors';
import { RandomStream } from '../random';

/**
 * Options of {@link kMeans}.
 *
 * @category Hacks
 */
export interface KMeansOptions {
  /** Most assignment rounds after the seeding; stops early when no point moves. @defaultValue 20 */
  iterations?: number;
  /** Seed of the k-means++ seeding. @defaultValue 0 */
  seed?: number;
}

/**
 * What {@link kMeans} found.
 *
 * @category Hacks
 */
export interface KMeansResult {
  /** The cluster of each point, `0..k-1`, in the points' order. */
  assignments: Int32Array;
  /** Points per cluster. */
  sizes: number[];
  /** The cluster centres `[k, features]`, owned by the caller. */
  centroids: tf.Tensor2D;
  /** Assignment rounds run (fewer than `iterations` when the assignments settled). */
  iterations: number;
}

/**
 * The index a uniform draw `u` in `[0, 1)` picks when each index `i` has probability
 * `weights[i] / total`: where `u·total` falls among the running sums (the last index when
 * rounding leaves it past them all).
 */
export function weightedIndex(weights: ArrayLike<number>, total: number, u: number): number {
  let target = u * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0) return i;
  }
  return weights.length - 1;
}

/** Squared distance of every row of `points` to one row `centre` `[1, features]`. */
function squaredDistances(points: tf.Tensor2D, centre: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.square(tf.sub(points, centre)), 1) as tf.Tensor1D);
}

/** k-means++ seeding: each new centre drawn with probability ∝ squared distance to the nearest. */
async function seedCentres(
  points: tf.Tensor2D,
  k: number,
  random: RandomStream,
): Promise<number[]> {
  const n = points.shape[0];
  const chosen = [random.nextInt(n)];
  let nearest: Float32Array | undefined;
  while (chosen.length < k) {
    const centre = points.slice([chosen[chosen.length - 1], 0], [1, -1]);
    const distances = squaredDistances(points, centre);
    const latest = (await distances.data()) as Float32Array;
    tf.dispose([centre, distances]);
    if (nearest === undefined) nearest = latest;
    else for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], latest[i]);
    let total = 0;
    for (let i = 0; i < n; i++) total += nearest[i];
    // All remaining points coincide with a centre: take the next unchosen index.
    if (total === 0) {
      const next = Array.from({ length: n }, (_, i) => i).find((i) => !chosen.includes(i))!;
      chosen.push(next);
      continue;
    }
    chosen.push(weightedIndex(nearest, total, random.next()));
  }
  return chosen;
}

/**
 * Clusters the rows of `points` into `k` groups by k-means (Lloyd's rounds from a seeded
 * k-means++ start). The cluster ids can stand in for class labels: training a conditional
 * GAN on clusters of the data itself is the self-conditioned GAN's idea, which sharpens the
 * samples and spreads them over the clusters without any labels.
 *
 * @see Liu et al. 2020, "Diverse Image Generation via Self-Conditioned GANs",
 *   https://arxiv.org/abs/2006.10728 (they cluster discriminator features and re-cluster
 *   during training; clustering the data once is the simplest form).
 * @see Arthur & Vassilvitskii 2007, "k-means++: The Advantages of Careful Seeding".
 * @param points - `[n, features]` float32; not disposed.
 * @param k - clusters, an integer from 1 to `n`.
 * @param options - see {@link KMeansOptions}.
 * @returns the assignments, sizes and centres; the same seed gives the same clusters on the
 * same backend.
 * @throws TypeError when `points` is not a 2-D float32 tensor or an option has the wrong
 * type; RangeError when `k` is not in `[1, n]`, `iterations` is not a positive integer or an
 * option is unknown.
 * @remarks A cluster that loses all its points keeps its previous centre. Each round is one
 * matrix product of the points with the centres; 60,000 MNIST digits in 50 clusters took
 * 25–34 s on `wasm` (the seeding and 20 rounds, the default cap, which they reached before
 * settling).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { kMeans } from 'tfjs-gan';
 * const points = tf.tensor2d([[0, 0], [0, 1], [10, 0], [10, 1]]);
 * const { assignments, sizes, centroids } = await kMeans(points, 2, { seed: 1 });
 * // assignments puts the first two points together and the last two together; sizes [2, 2]
 * tf.dispose([points, centroids]);
 * ```
 * @category Hacks
 */
export async function kMeans(
  points: tf.Tensor2D,
  k: number,
  options: KMeansOptions = {},
): Promise<KMeansResult> {
  const where = 'kMeans';
  checkTensor(where, 'points', points);
  if (points.rank !== 2 || points.dtype !== 'float32') {
    throw new TypeError(
      `${where}: points must be a 2-D float32 tensor [n, features], got ${points.dtype} ` +
        `[${points.shape.join(', ')}].`,
    );
  }
  const n = points.shape[0];
  checkInteger(where, 'k', k, 1);
  if (k > n) throw new RangeError(`${where}: k must be at most the ${n} points, got ${k}.`);
  checkOptions(where, options, ['iterations', 'seed']);
  const iterations = checkInteger(where, 'iterations', options.iterations ?? 20, 1);
  const seed = checkInteger(where, 'seed', options.seed ?? 0, Number.MIN_SAFE_INTEGER);

  const chosen = await seedCentres(points, k, new RandomStream(seed));
  let centroids = tf.tidy(() => tf.gather(points, chosen)) as tf.Tensor2D;
  let assignments = new Int32Array(n).fill(-1);
  let rounds = 0;
  while (rounds < iterations) {
    rounds++;
    // argmin_c ‖x − c‖² = argmin_c (‖c‖² − 2 x·c): one product of the points with the centres.
    const nearest = tf.tidy(() => {
      const norms = tf.sum(tf.square(centroids), 1);
      const scores = tf.sub(norms, tf.mul(2, tf.matMul(points, centroids, false, true)));
      return tf.argMin(scores, 1);
    });
    const next = (await nearest.data()) as Int32Array;
    nearest.dispose();
    const moved = next.some((c, i) => c !== assignments[i]);
    assignments = Int32Array.from(next);
    if (!moved) break;
    const updated = tf.tidy(() => {
      const members = tf.oneHot(tf.tensor1d(assignments, 'int32'), k).toFloat();
      const sums = tf.matMul(members, points, true, false);
      const counts = tf.sum(members, 0).reshape([k, 1]);
      // An emptied cluster keeps its centre.
      return tf.where(
        tf.greater(counts, 0).tile([1, points.shape[1]]),
        tf.div(sums, tf.maximum(counts, 1)),
        centroids,
      ) as tf.Tensor2D;
    });
    centroids.dispose();
    centroids = updated;
  }
  const sizes = new Array<number>(k).fill(0);
  for (const c of assignments) sizes[c]++;
  return { assignments, sizes, centroids, iterations: rounds };
}
