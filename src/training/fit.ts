import * as tf from '@tensorflow/tfjs';

import { shuffledIndices } from '../data/batches';
import { checkInteger, describeValue } from '../errors';
import type { CheckpointStore } from '../io/checkpoint';
import type { RandomStream } from '../random';
import type { FitData, FitOptions, FitSummary, LabelledBatch, StepResult } from './types';

/** The part of the Trainer that `runFit` drives. */
interface Steppable {
  readonly discriminatorSteps: number;
  readonly stepCount: number;
  step(real: tf.Tensor | tf.Tensor[], labels?: tf.Tensor | tf.Tensor[]): Promise<StepResult>;
  saveCheckpoint(store: CheckpointStore): Promise<void>;
}

type Element = tf.Tensor | LabelledBatch;
type Batches = Iterable<Element> | AsyncIterable<Element>;

function isDataset(data: unknown): data is tf.data.Dataset<Element> {
  return data instanceof tf.data.Dataset;
}

/** A batch as `{ real, labels }` (labels absent for an unlabelled one), or a TypeError. */
function unpack(element: unknown): { real: tf.Tensor; labels?: tf.Tensor } {
  if (element instanceof tf.Tensor) return { real: element };
  const { real, labels } = (element ?? {}) as Partial<LabelledBatch>;
  if (!(real instanceof tf.Tensor) || !(labels instanceof tf.Tensor)) {
    throw new TypeError(
      'Trainer.fit: each batch must be a tensor of real samples or { real, labels } tensors, ' +
        `got ${describeValue(element)}.`,
    );
  }
  return { real, labels };
}

/** The tensors an element holds, to dispose it whole. */
function tensorsIn(element: unknown): tf.Tensor[] {
  if (element instanceof tf.Tensor) return [element];
  const values = element !== null && typeof element === 'object' ? Object.values(element) : [];
  return values.filter((v): v is tf.Tensor => v instanceof tf.Tensor);
}

/** A `tf.data.Dataset`'s elements as an async iterable (one fresh pass per call). */
async function* fromDataset(dataset: tf.data.Dataset<Element>): AsyncGenerator<Element> {
  const iterator = await dataset.iterator();
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) return;
    yield value;
  }
}

/**
 * One shuffled epoch of batches cut from a tensor of all samples (and their labels, shuffled
 * with them); the last partial one dropped.
 */
function* fromTensor(
  all: tf.Tensor,
  labels: tf.Tensor | undefined,
  batchSize: number,
  random: RandomStream,
): Generator<Element> {
  const order = shuffledIndices(all.shape[0], random);
  for (let start = 0; start + batchSize <= order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    yield tf.tidy(() => {
      const picked = tf.tensor1d(indices, 'int32');
      const real = tf.gather(all, picked);
      return labels ? { real, labels: tf.gather(labels, picked) } : real;
    });
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
  if (data instanceof tf.Tensor) {
    return fromTensor(data, options.labels, options.batchSize!, random);
  }
  if (isDataset(data)) return fromDataset(data);
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
  if (options.labels !== undefined) checkLabels(data, options.labels, where);
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

function checkLabels(data: FitData, labels: unknown, where: string): void {
  if (!(data instanceof tf.Tensor)) {
    throw new TypeError(
      `${where}: labels is only for data given as one tensor of samples; give batches as ` +
        '{ real, labels } instead.',
    );
  }
  const ok = labels instanceof tf.Tensor && labels.rank === 1 && labels.shape[0] === data.shape[0];
  if (!ok || labels.dtype !== 'int32') {
    const got = labels instanceof tf.Tensor ? `${labels.dtype} ${describeValue(labels.shape)}` : '';
    throw new TypeError(
      `${where}: labels must be int32 of shape [${data.shape[0]}] (one per sample), got ` +
        `${got || describeValue(labels)}.`,
    );
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
    const group: { real: tf.Tensor; labels?: tf.Tensor }[] = [];
    const tensorsOf = (batches: typeof group) =>
      batches.flatMap(({ real, labels }) => (labels ? [real, labels] : [real]));
    for await (const element of source) {
      if (options.signal?.aborted) {
        if (dispose) tf.dispose([...tensorsOf(group), ...tensorsIn(element)]);
        summary.stoppedBy = 'abort';
        break training;
      }
      let batch;
      try {
        batch = unpack(element);
      } catch (error) {
        if (dispose) tf.dispose(tensorsOf(group));
        throw error;
      }
      group.push(batch);
      if (group.length < trainer.discriminatorSteps) continue;
      batchesThisEpoch += group.length;
      const batches = group.splice(0);
      const reals = batches.map((b) => b.real);
      const labelled = batches.every((b) => b.labels !== undefined);
      const labels = labelled ? batches.map((b) => b.labels!) : undefined;
      try {
        summary.last = await (reals.length === 1
          ? trainer.step(reals[0], labels?.[0])
          : trainer.step(reals, labels));
      } finally {
        if (dispose) tf.dispose(tensorsOf(batches));
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
    if (dispose) tf.dispose(tensorsOf(group));
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
