import * as tf from '@tensorflow/tfjs';

import { checkInteger, describeValue } from '../errors';
import type { FitData, FitOptions, FitSummary, StepResult } from './types';

/** The part of the Trainer that `runFit` drives. */
interface Steppable {
  readonly discriminatorSteps: number;
  step(real: tf.Tensor | tf.Tensor[]): Promise<StepResult>;
}

/** Lets the event loop run (timers, I/O, rendering) between steps. */
function yieldToEventLoop(): Promise<void> {
  const setImmediate = (globalThis as { setImmediate?: (callback: () => void) => unknown })
    .setImmediate;
  return new Promise((resolve) => (setImmediate ?? setTimeout)(resolve));
}

function iterableOf(data: FitData): Iterable<tf.Tensor> | AsyncIterable<tf.Tensor> {
  const source = typeof data === 'function' ? data() : data;
  const ok =
    source !== null &&
    typeof source === 'object' &&
    (Symbol.iterator in source || Symbol.asyncIterator in source);
  if (!ok) {
    throw new TypeError(
      `Trainer.fit: data must be an array, an iterable or async iterable of tensors, or a ` +
        `function returning one, got ${describeValue(source)}.`,
    );
  }
  return source;
}

function checkOptions(options: FitOptions): void {
  if (options.steps !== undefined) checkInteger('Trainer.fit', 'steps', options.steps, 1);
  if (options.epochs !== undefined) checkInteger('Trainer.fit', 'epochs', options.epochs, 1);
}

/** The loop behind `Trainer.fit`: epochs over the data, a step per batch, callbacks between. */
export async function runFit(
  trainer: Steppable,
  data: FitData,
  options: FitOptions,
): Promise<FitSummary> {
  checkOptions(options);
  const epochs = options.epochs ?? (options.steps === undefined ? 1 : Infinity);
  const maxSteps = options.steps ?? Infinity;
  const summary: FitSummary = { steps: 0, epochs: 0, stoppedBy: 'epochs' };
  await options.onTrainBegin?.();
  training: for (let epoch = 0; epoch < epochs; epoch++) {
    const source = iterableOf(data);
    const dispose = options.disposeBatches ?? !Array.isArray(source);
    let batchesThisEpoch = 0;
    // One step takes `discriminatorSteps` batches, one per discriminator update.
    const group: tf.Tensor[] = [];
    for await (const batch of source) {
      if (options.signal?.aborted) {
        if (dispose) tf.dispose([batch, ...group]);
        summary.stoppedBy = 'abort';
        break training;
      }
      group.push(batch);
      if (group.length < trainer.discriminatorSteps) continue;
      batchesThisEpoch += group.length;
      const batches = group.splice(0);
      try {
        summary.last = await trainer.step(batches.length === 1 ? batches[0] : batches);
      } finally {
        if (dispose) tf.dispose(batches);
      }
      summary.steps++;
      for (const warning of summary.last.warnings) await options.onWarning?.(warning);
      await options.onStepEnd?.(summary.last);
      if (summary.steps >= maxSteps) {
        summary.stoppedBy = 'steps';
        break training;
      }
      await yieldToEventLoop();
    }
    // Batches left over at the end of an epoch (fewer than one step needs) are dropped.
    if (dispose) tf.dispose(group);
    if (batchesThisEpoch === 0) {
      summary.stoppedBy = 'data';
      break;
    }
    summary.epochs++;
    await options.onEpochEnd?.(summary.epochs);
  }
  await options.onTrainEnd?.(summary);
  return summary;
}
