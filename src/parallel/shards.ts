/**
 * How a batch is cut between workers and how their results are put back together.
 *
 * @module
 */

/**
 * Cuts `batch` rows into `workers` contiguous shards as equal as possible, the larger ones
 * first: 64 rows for 3 workers give `[22, 21, 21]`.
 */
export function shardSizes(batch: number, workers: number): number[] {
  const base = Math.floor(batch / workers);
  const extra = batch % workers;
  return Array.from({ length: workers }, (_, i) => base + (i < extra ? 1 : 0));
}

/** The first row of every shard and the row after the last: `[0, 22, 43, 64]`. */
export function shardBounds(sizes: number[]): number[] {
  const bounds = [0];
  for (const size of sizes) bounds.push(bounds[bounds.length - 1] + size);
  return bounds;
}

/**
 * Each shard's share of the batch, `n_i / n`. A mean over the batch is the sum of the shard
 * means weighted by these shares, which is what makes data-parallel gradients exact.
 */
export function shardShares(sizes: number[]): number[] {
  const batch = sizes.reduce((a, b) => a + b, 0);
  return sizes.map((size) => size / batch);
}

/** `Σ_i shares[i] · values[i]`, the batch value of a per-shard mean. */
export function weightedMean(values: number[], shares: number[]): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += shares[i] * values[i];
  return sum;
}

/**
 * The weighted sum of one stretch `[offset, offset + length)` of every worker's slot, into a
 * new float32 array. Every worker runs this on the same slots in the same order, so every
 * replica gets the same bits.
 *
 * @param slots - one float32 view per worker, all the same length.
 * @param shares - one weight per worker.
 */
export function weightedSlotSum(
  slots: Float32Array[],
  shares: number[],
  offset: number,
  length: number,
): Float32Array {
  const sum = new Float32Array(length);
  for (let w = 0; w < slots.length; w++) {
    const slot = slots[w];
    const share = shares[w];
    for (let j = 0; j < length; j++) sum[j] += share * slot[offset + j];
  }
  return sum;
}
