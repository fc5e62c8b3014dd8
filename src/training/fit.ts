import * as tf from '@tensorflow/tfjs';

import { shuffledIndices } from '../data/batches';
import { checkInteger, describeValue } from '../errors';
import type { CheckpointStore } from '../io/checkpoint';
import type { RandomStream } from '../random';
import type { FitData, FitOptions, FitSummary, StepResult } from './types';

/** The part of the Trainer that `runFit` drives. */
interface Steppable {
  readonly discriminatorSteps: number;
  readonly stepCount: number;
  step(real: tf.Tensor | tf.Tensor[]): Promise<StepResult>;
  saveCheckpoint(store: CheckpointStore): Promise<void>;
}

type Batches = Iterable<tf.Tensor> | AsyncIterable<tf.Tensor>;

function isDataset(data: unknown): data is tf.data.Dataset<tf.Tensor> {
  return data instanceof tf.data.Dataset;
}

/** A `tf.data.Dataset`'s elements as an async iterable (one fresh pass per call). */
async function* fromDataset(
  dataset: tf.data.Dataset<tf.Tensor>,
  where: string,
): AsyncGenerator<tf.Tensor> {
  const iterator = await dataset.iterator();
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) return;
    if (!(value instanceof tf.Tensor)) {
      throw new TypeError(
        `${where}: a tf.data dataset must yield tensors (real batches), got ${describeValue(value)}.`,
      );
    }
    yield value;
  }
}

/** One shuffled epoch of batches cut from a tensor of all samples; the last partial one dropped. */
function* fromTensor(
  all: tf.Tensor,
  batchSize: number,
  random: RandomStream,
): Generator<tf.Tensor> {
  const order = shuffledIndices(all.shape[0], random);
  for (let start = 0; start + batchSize <= order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    yield tf.tidy(() => tf.gather(all, tf.tensor1d(indices, 'int32')));
  }
}

/** Lets the event loop run (timers, I/O, rendering) between steps. */
function yieldToEventLoop(): Promise<void> {
  const setImmediate = (globalThis as { setImmediate?: (callback: () => void) => unknown })
    .setImmediate;
  return new Promise((resolve) => (setImmediate ?? setTimeout)(resolve));
}

function iterableOf(
  data: FitData,
  options: FitOptions,
  random: RandomStream,
  where: string,
): Batches {
  if (data instanceof tf.Tensor) return fromTensor(data, options.batchSize!, random);
  if (isDataset(data)) return fromDataset(data, where);
  const source = typeof data === 'function' ? data() : data;
  const ok =
    source !== null &&
    typeof source === 'object' &&
    (Symbol.iterator in source || Symbol.asyncIterator in source);
  if (!ok) {
    throw new TypeError(
      `${where}: data must be an array, an iterable or async iterable of tensors, or a ` +
        `function returning one, got ${describeValue(source)}.`,
    );
  }
  return source;
}

function checkOptions(data: FitData, options: FitOptions, where: string): void {
  if (options.steps !== undefined) checkInteger(where, 'steps', options.steps, 1);
  if (options.epochs !== undefined) checkInteger(where, 'epochs', options.epochs, 1);
  if (options.checkpoint !== undefined) {
    const { store, every } = options.checkpoint;
    if (typeof store?.save !== 'function' || typeof store?.load !== 'function') {
      throw new TypeError(
        `${where}: checkpoint.store must be a checkpoint store, got ${describeValue(store)}.`,
      );
    }
    checkInteger(where, 'checkpoint.every', every, 1);
  }
  if (data instanceof tf.Tensor) {
    if (options.batchSize === undefined) {
      throw new TypeError(`${where}: batchSize is required when data is one tensor of samples.`);
    }
    checkInteger(where, 'batchSize', options.batchSize, 1);
    if (data.rank < 1 || data.shape[0] < options.batchSize) {
      throw new RangeError(
        `${where}: data must hold at least batchSize (${options.batchSize}) samples, got shape ` +
          `${describeValue(data.shape)}.`,
      );
    }
  }
}

/**
 * The loop behind `Trainer.fit`: epochs over the data, a step per batch, callbacks between.
 * `where` starts the error messages.
 */
export async function runFit(
  trainer: Steppable,
  data: FitData,
  options: FitOptions,
  random: RandomStream,
  where = 'Trainer.fit',
): Promise<FitSummary> {
  checkOptions(data, options, where);
  const epochs = options.epochs ?? (options.steps === undefined ? 1 : Infinity);
  const maxSteps = options.steps ?? Infinity;
  const summary: FitSummary = { steps: 0, epochs: 0, stoppedBy: 'epochs' };
  await options.onTrainBegin?.();
  training: for (let epoch = 0; epoch < epochs; epoch++) {
    const source = iterableOf(data, options, random, where);
    // Batches cut from a tensor or read from a dataset are made here; an array's are the caller's.
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
      if (options.checkpoint && trainer.stepCount % options.checkpoint.every === 0) {
        await trainer.saveCheckpoint(options.checkpoint.store);
      }
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
      if (epoch === 0) {
        throw new RangeError(
          `${where}: data gave no batches (or fewer than discriminatorSteps, ` +
            `${trainer.discriminatorSteps}, for one step).`,
        );
      }
      summary.stoppedBy = 'data';
      break;
    }
    summary.epochs++;
    await options.onEpochEnd?.(summary.epochs);
  }
  const { checkpoint } = options;
  if (checkpoint && summary.steps > 0 && trainer.stepCount % checkpoint.every !== 0) {
    await trainer.saveCheckpoint(checkpoint.store);
  }
  await options.onTrainEnd?.(summary);
  return summary;
}
