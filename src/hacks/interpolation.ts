import * as tf from '@tensorflow/tfjs';

import {
  checkInteger,
  checkOneOf,
  checkOptions,
  checkRange,
  checkSameShape,
  checkTensor,
  describeValue,
} from '../errors';

/**
 * Below this angle (radians) between two latents, {@link slerp} interpolates linearly: there
 * `sin((1-t)·Ω) / sin Ω` differs from `1 - t` by less than `Ω²/6 ≈ 1.7e-9`, far below float32
 * precision, while `sin Ω` itself heads to 0.
 */
const PARALLEL_ANGLE = 1e-4;

/** Checks two latents: tensors of equal shape `[d]` or `[n, d]`, with `n, d >= 1`. */
function checkLatents(where: string, a: unknown, b: unknown): void {
  checkTensor(where, 'a', a);
  checkTensor(where, 'b', b);
  const shapeA = (a as tf.Tensor).shape;
  const shapeB = (b as tf.Tensor).shape;
  checkSameShape(where, ['a', 'b'], [shapeA, shapeB]);
  if ((shapeA.length !== 1 && shapeA.length !== 2) || shapeA.some((size) => size < 1)) {
    const want = '[latentDim] or [batch, latentDim]';
    throw new RangeError(`${where}: a must have shape ${want}, got ${describeValue(shapeA)}.`);
  }
}

/**
 * Linear interpolation of rows, exact at both ends and when `a = b`: `a + t·(b - a)` for
 * `t < ½` and `b - (1-t)·(b - a)` otherwise. `t` is `[n, 1]` or a scalar.
 */
function lerpRows(a: tf.Tensor2D, b: tf.Tensor2D, t: tf.Tensor): tf.Tensor2D {
  const difference = tf.sub(b, a);
  const fromA = tf.add(a, tf.mul(t, difference));
  const fromB = tf.sub(b, tf.mul(tf.sub(1, t), difference));
  return tf.where(tf.less(tf.broadcastTo(t, a.shape), 0.5), fromA, fromB) as tf.Tensor2D;
}

/**
 * For rows `â` of unit length `[n, d]` (d >= 2), a unit vector orthogonal to each: the
 * standard basis vector on which `â` has its smallest magnitude (the first on ties), minus its
 * projection on `â`. Its length before normalising is `√(1 - â_k²) >= √(1 - 1/d)`.
 */
function orthogonalRows(unit: tf.Tensor2D): tf.Tensor2D {
  const d = unit.shape[1];
  const axis = tf.argMin(tf.abs(unit), 1);
  const basis = tf.oneHot(axis, d).toFloat(); // [n, d]
  const along = tf.sum(tf.mul(unit, basis), 1, true); // [n, 1]: â_k
  const orthogonal = tf.sub(basis, tf.mul(along, unit));
  return tf.div(orthogonal, tf.norm(orthogonal, 'euclidean', 1, true)) as tf.Tensor2D;
}

/** Spherical interpolation of rows `[n, d]` at `t` (`[n, 1]` or a scalar); see {@link slerp}. */
function slerpRows(a: tf.Tensor2D, b: tf.Tensor2D, t: tf.Tensor): tf.Tensor2D {
  const normA = tf.norm(a, 'euclidean', 1, true); // [n, 1]
  const normB = tf.norm(b, 'euclidean', 1, true);
  const degenerate = tf.logicalOr(tf.equal(normA, 0), tf.equal(normB, 0));
  const unitA = tf.div(a, tf.where(degenerate, tf.onesLike(normA), normA));
  const unitB = tf.div(b, tf.where(degenerate, tf.onesLike(normB), normB));
  // Ω = 2·atan2(‖â - b̂‖, ‖â + b̂‖) stays accurate near 0 and π, where acos(â·b̂) does not.
  const apart = tf.norm(tf.sub(unitA, unitB), 'euclidean', 1, true); // [n, 1]
  const together = tf.norm(tf.add(unitA, unitB), 'euclidean', 1, true);
  const omega = tf.mul(2, tf.atan2(apart, together)); // [n, 1]
  const parallel = tf.logicalOr(degenerate, tf.less(omega, PARALLEL_ANGLE));
  const canTurn = a.shape[1] >= 2;
  const opposite = tf.logicalAnd(
    tf.logicalNot(parallel),
    tf.greater(omega, canTurn ? Math.PI - PARALLEL_ANGLE : Infinity),
  );
  const general = tf.logicalNot(tf.logicalOr(parallel, opposite));
  const sinOmega = tf.where(general, tf.sin(omega), tf.onesLike(omega));
  const coefficientA = tf.div(tf.sin(tf.mul(tf.sub(1, t), omega)), sinOmega);
  const coefficientB = tf.div(tf.sin(tf.mul(t, omega)), sinOmega);
  const spherical = tf.add(tf.mul(coefficientA, a), tf.mul(coefficientB, b));
  let result: tf.Tensor = tf.where(tf.broadcastTo(general, a.shape), spherical, lerpRows(a, b, t));
  if (canTurn) {
    // Half a turn from â through the orthogonal u, the length moving linearly from ‖a‖ to ‖b‖.
    const angle = tf.mul(Math.PI, t);
    const turn = orthogonalRows(unitA as tf.Tensor2D);
    const direction = tf.add(tf.mul(tf.cos(angle), unitA), tf.mul(tf.sin(angle), turn));
    const length = tf.add(normA, tf.mul(t, tf.sub(normB, normA)));
    result = tf.where(tf.broadcastTo(opposite, a.shape), tf.mul(length, direction), result);
  }
  // The ends are returned as given, whatever rounding the formulas above would add.
  const tRows = tf.broadcastTo(t, a.shape);
  return tf.where(tf.equal(tRows, 0), a, tf.where(tf.equal(tRows, 1), b, result)) as tf.Tensor2D;
}

type Method = 'slerp' | 'lerp';

/** Validates, views `[d]` as `[1, d]`, interpolates in a tidy and restores the shape. */
function interpolate<T extends tf.Tensor1D | tf.Tensor2D>(where: Method, a: T, b: T, t: number): T {
  checkLatents(where, a, b);
  checkRange(where, 't', t, 0, 1);
  return tf.tidy(() => {
    const d = a.shape[a.shape.length - 1];
    const rowsA = tf.reshape(tf.cast(a, 'float32'), [-1, d]) as tf.Tensor2D; // [n, d]
    const rowsB = tf.reshape(tf.cast(b, 'float32'), [-1, d]) as tf.Tensor2D;
    const rows = (where === 'slerp' ? slerpRows : lerpRows)(rowsA, rowsB, tf.scalar(t));
    return tf.reshape(rows, a.shape) as T;
  });
}

/**
 * Spherical linear interpolation between latents, row by row:
 * `slerp(a, b, t) = sin((1-t)·Ω)/sin Ω · a + sin(t·Ω)/sin Ω · b`, with `Ω` the angle between
 * `a` and `b`.
 *
 * When `‖a‖ = ‖b‖` every point keeps that length, so the path stays where a normal (or
 * {@link sphericalLatent}) prior puts its mass, while a straight line cuts through the
 * low-density middle of the ball.
 *
 * @remarks
 * Special cases, row by row:
 * - `t = 0` and `t = 1` return `a` and `b` exactly.
 * - Nearly parallel rows (angle below `1e-4` radians), equal rows and rows where `a` or `b` is
 *   all zeros use {@link lerp}, which slerp matches to float32 precision there; equal rows
 *   give back `a`.
 * - Opposite rows (angle above `π - 1e-4`) have no single great circle between them. The path
 *   then turns half a circle from `a` through a fixed direction `u` orthogonal to `a`: `u` is
 *   the standard basis vector on which `a` is smallest in magnitude (the first such, on ties)
 *   with its component along `a` removed, normalised. The point is
 *   `((1-t)·‖a‖ + t·‖b‖) · (cos(πt)·â + sin(πt)·u)`, so halfway between `[1, 0, 0]` and
 *   `[-1, 0, 0]` is `[0, 1, 0]`. With `latentDim = 1` no such direction exists and the path is
 *   the straight line through 0.
 *
 * @see Shoemake 1985, "Animating Rotation with Quaternion Curves",
 *   https://doi.org/10.1145/325165.325242
 * @see White 2016, "Sampling Generative Networks", https://arxiv.org/abs/1609.04468
 * @param a - the start: one latent `[latentDim]` or a batch `[batch, latentDim]`; not disposed.
 * @param b - the end, the same shape as `a`; not disposed.
 * @param t - how far along, in `[0, 1]`.
 * @returns a float32 tensor of the same shape as `a`, owned by the caller.
 * @throws TypeError when `a` or `b` is not a tensor, or `t` is not a finite number.
 * @throws RangeError when the shapes differ or are not `[d]` / `[n, d]`, or `t` is outside
 *   `[0, 1]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { slerp } from 'tfjs-gan';
 * slerp(tf.tensor1d([1, 0]), tf.tensor1d([0, 1]), 0.5).print(); // [0.707107, 0.707107]
 * ```
 * @category Hacks
 */
export function slerp<T extends tf.Tensor1D | tf.Tensor2D>(a: T, b: T, t: number): T {
  return interpolate('slerp', a, b, t);
}

/**
 * Linear interpolation between latents, row by row: `lerp(a, b, t) = (1-t)·a + t·b`.
 *
 * Between two typical draws of a normal prior in high dimension the midpoint is about
 * `1/√2` as long as either end, a region the generator rarely saw in training; compare
 * {@link slerp}.
 *
 * @remarks Computed as `a + t·(b - a)` for `t < ½` and `b - (1-t)·(b - a)` otherwise, so
 * `t = 0`, `t = 1` and `a = b` give back `a` or `b` exactly.
 * @see White 2016, "Sampling Generative Networks", https://arxiv.org/abs/1609.04468
 * @param a - the start: one latent `[latentDim]` or a batch `[batch, latentDim]`; not disposed.
 * @param b - the end, the same shape as `a`; not disposed.
 * @param t - how far along, in `[0, 1]`.
 * @returns a float32 tensor of the same shape as `a`, owned by the caller.
 * @throws TypeError when `a` or `b` is not a tensor, or `t` is not a finite number.
 * @throws RangeError when the shapes differ or are not `[d]` / `[n, d]`, or `t` is outside
 *   `[0, 1]`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { lerp } from 'tfjs-gan';
 * lerp(tf.tensor1d([1, 0]), tf.tensor1d([0, 1]), 0.5).print(); // [0.5, 0.5]
 * ```
 * @category Hacks
 */
export function lerp<T extends tf.Tensor1D | tf.Tensor2D>(a: T, b: T, t: number): T {
  return interpolate('lerp', a, b, t);
}

/**
 * Options of {@link interpolationPath}.
 *
 * @category Hacks
 */
export interface InterpolationPathOptions {
  /** {@link slerp} (along the sphere) or {@link lerp} (a straight line). @defaultValue `'slerp'` */
  method?: 'slerp' | 'lerp';
}

/**
 * `count` evenly spaced points from `a` to `b`, both ends included: row `i` is the
 * interpolation at `t = i / (count - 1)`.
 *
 * @see White 2016, "Sampling Generative Networks", https://arxiv.org/abs/1609.04468
 * @param a - the start latent `[latentDim]`; not disposed.
 * @param b - the end latent `[latentDim]`; not disposed.
 * @param count - how many points, an integer >= 2.
 * @param options - see {@link InterpolationPathOptions}. @defaultValue `{}`
 * @returns `[count, latentDim]`: row 0 is `a`, the last row is `b`; owned by the caller.
 * @throws TypeError when `a` or `b` is not a tensor or `count` is not an integer.
 * @throws RangeError when the shapes differ or are not `[d]`, `count < 2`, or an option is
 *   invalid or unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { interpolationPath } from 'tfjs-gan';
 * const path = interpolationPath(tf.tensor1d([1, 0]), tf.tensor1d([0, 1]), 3);
 * path.print(); // [[1, 0], [0.707107, 0.707107], [0, 1]]
 * ```
 * @category Hacks
 */
export function interpolationPath(
  a: tf.Tensor1D,
  b: tf.Tensor1D,
  count: number,
  options: InterpolationPathOptions = {},
): tf.Tensor2D {
  const where = 'interpolationPath';
  checkLatents(where, a, b);
  if (a.rank !== 1) {
    throw new RangeError(`${where}: a must have shape [latentDim], got ${describeValue(a.shape)}.`);
  }
  checkInteger(where, 'count', count, 2);
  checkOptions(where, options, ['method']);
  const method = checkOneOf(where, 'method', options.method ?? 'slerp', ['slerp', 'lerp']);
  return tf.tidy(() => {
    const d = a.shape[0];
    // [count, d]: every row a (or b); t is the column [count, 1] of i / (count - 1).
    const rowsA = tf.broadcastTo(tf.reshape(tf.cast(a, 'float32'), [1, d]), [count, d]);
    const rowsB = tf.broadcastTo(tf.reshape(tf.cast(b, 'float32'), [1, d]), [count, d]);
    const steps = Array.from({ length: count }, (_, i) => (i === count - 1 ? 1 : i / (count - 1)));
    const t = tf.tensor2d(steps, [count, 1]);
    const rows = method === 'slerp' ? slerpRows : lerpRows;
    return rows(rowsA as tf.Tensor2D, rowsB as tf.Tensor2D, t);
  });
}
