import type * as tf from '@tensorflow/tfjs';

import { checkTensor, describeValue } from '../errors';

/** Rows of a `[n, d]` feature set, read into one row-major Float64Array. */
export interface PointRows {
  values: Float64Array;
  rows: number;
  columns: number;
}

function isTensorLike(value: unknown): value is tf.Tensor {
  return value !== null && typeof value === 'object' && 'dataId' in (value as object);
}

/**
 * Reads `[n, d]` points from a tensor (not disposed) or an array of arrays, checking that
 * `n >= 1` and, when `columns` is given, that `d` equals it.
 */
export async function pointRows(
  where: string,
  name: string,
  points: unknown,
  columns?: number,
): Promise<PointRows> {
  let values: Float64Array;
  let shape: number[];
  if (isTensorLike(points)) {
    checkTensor(where, name, points);
    shape = [...points.shape];
    values = shape.length === 2 ? Float64Array.from(await points.data()) : new Float64Array(0);
  } else if (Array.isArray(points) && points.every((p) => Array.isArray(p))) {
    const rows = points as number[][];
    const width = rows[0]?.length ?? 0;
    shape = rows.every((r) => r.length === width) ? [rows.length, width] : [rows.length, -1];
    values = Float64Array.from(rows.flat());
    if (values.some((v) => typeof v !== 'number')) {
      throw new TypeError(`${where}: ${name} must hold numbers only.`);
    }
  } else {
    throw new TypeError(
      `${where}: ${name} must be a tf.Tensor or an array of points, got ${describeValue(points)}.`,
    );
  }
  const ok =
    shape.length === 2 &&
    shape[0] >= 1 &&
    shape[1] >= 1 &&
    (columns === undefined || shape[1] === columns);
  if (!ok) {
    const want = `[n,${columns ?? 'd'}] with n >= 1`;
    throw new RangeError(`${where}: ${name} must have shape ${want}, got ${describeValue(shape)}.`);
  }
  return { values, rows: shape[0], columns: shape[1] };
}
