import * as tf from '@tensorflow/tfjs';

import { describeValue } from '../errors';
import type { ParallelSetup } from './options';

const WHERE = 'ParallelTrainer.step';

/** Checks one batch against the discriminator's input, as the Trainer does. */
function checkBatch(setup: ParallelSetup, batch: unknown): tf.Tensor {
  if (!(batch instanceof tf.Tensor)) {
    throw new TypeError(`${WHERE}: real must be a tf.Tensor, got ${describeValue(batch)}.`);
  }
  if (batch.isDisposed) {
    throw new RangeError(`${WHERE}: real is a disposed tensor; pass a live batch.`);
  }
  if (batch.dtype !== 'float32') {
    throw new TypeError(`${WHERE}: real must be float32, got ${batch.dtype}.`);
  }
  const expected = setup.training.realShape;
  const fits =
    expected === undefined ||
    (batch.shape.length === expected.length &&
      expected.every((size, i) => i === 0 || size === null || size === batch.shape[i]));
  if (!fits) {
    const want = `[${expected!.map((d) => (d === null ? '?' : d)).join(',')}]`;
    throw new RangeError(
      `${WHERE}: real must have shape ${want} (the discriminator's input), got ` +
        `${describeValue(batch.shape)}.`,
    );
  }
  if (batch.shape[0] < setup.workers) {
    throw new RangeError(
      `${WHERE}: real must have at least one row per worker (${setup.workers}), got a batch ` +
        `of ${batch.shape[0]}.`,
    );
  }
  return batch;
}

/**
 * The batches of one step: one batch, or an array of `discriminatorSteps` batches of one
 * shape.
 */
export function checkRealBatches(setup: ParallelSetup, real: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  const steps = setup.training.discriminatorSteps;
  if (Array.isArray(real) && real.length !== steps) {
    throw new RangeError(
      `${WHERE}: real must be one batch or an array of discriminatorSteps (${steps}) batches, ` +
        `got an array of ${real.length}.`,
    );
  }
  const batches = (Array.isArray(real) ? real : [real]).map((b) => checkBatch(setup, b));
  const first = batches[0].shape;
  for (const batch of batches) {
    if (batch.shape.some((size, i) => size !== first[i])) {
      throw new RangeError(
        `${WHERE}: every batch of a step must have one shape, got ${describeValue(first)} and ` +
          `${describeValue(batch.shape)}.`,
      );
    }
  }
  return batches;
}

/** The Trainer's refusal of values outside `realRange`, or `null` when all are inside. */
export function realRangeError(values: Float32Array, range: [number, number]): RangeError | null {
  let min = Infinity;
  let max = -Infinity;
  let nan = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (v !== v) nan = true;
  }
  if (!nan && min >= range[0] && max <= range[1]) return null;
  if (nan) [min, max] = [NaN, NaN];
  return new RangeError(
    `${WHERE}: real must have values in [${range[0]}, ${range[1]}], got values in [${min}, ` +
      `${max}]; scale 8-bit images with imagesToTensor, or set realRange.`,
  );
}
