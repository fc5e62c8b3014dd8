/**
 * An optimizer's full state as named tensors, for checkpoints: TensorFlow.js's own
 * `getWeights` plus what it leaves out, so a restored optimizer continues bit for bit.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { describeValue } from '../errors';
import type { NamedTensor } from './checkpoint';

/** Adam's running powers `beta1^(t+1)` and `beta2^(t+1)`, which `getWeights` leaves out. */
const ADAM_EXTRAS = ['accBeta1', 'accBeta2'] as const;

type WithExtras = tf.Optimizer & Partial<Record<(typeof ADAM_EXTRAS)[number], tf.Variable>>;

function extrasOf(optimizer: tf.Optimizer): readonly (typeof ADAM_EXTRAS)[number][] {
  const o = optimizer as WithExtras;
  const isAdam = optimizer.getClassName() === 'Adam';
  return isAdam && ADAM_EXTRAS.every((key) => o[key] instanceof tf.Variable) ? ADAM_EXTRAS : [];
}

function checkOptimizer(where: string, optimizer: unknown): void {
  const ok =
    typeof optimizer === 'object' &&
    optimizer !== null &&
    typeof (optimizer as tf.Optimizer).getWeights === 'function' &&
    typeof (optimizer as tf.Optimizer).setWeights === 'function';
  if (!ok) {
    const got = describeValue(optimizer);
    throw new TypeError(`${where}: optimizer must be a tf.Optimizer, got ${got}.`);
  }
}

/**
 * Reads an optimizer's state as named tensors for a checkpoint group: its iteration counter
 * (`iter`, int32), its slots (moments, accumulators) under TensorFlow.js's names, and for
 * Adam also `accBeta1` and `accBeta2`.
 *
 * @param optimizer - any TensorFlow.js optimizer that implements `getWeights` (all built-in
 *   ones except Adamax); not changed.
 * @returns new tensors (copies of the state), which the caller disposes.
 * @throws TypeError when `optimizer` is not a `tf.Optimizer`.
 * @throws Error when TensorFlow.js cannot read this optimizer's state (Adamax).
 * @remarks
 * TensorFlow.js's Adam keeps `beta1^(t+1)` and `beta2^(t+1)` as running products and does not
 * include them in `getWeights`; its `setWeights` recomputes them with `pow`, which differs from
 * the running product in the last bits, so an Adam restored from `getWeights` alone drifts
 * from one that never stopped (by about 1e-7 after 50 steps). Saving them here, and restoring
 * them with {@link restoreOptimizerState}, keeps a resumed run identical.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { optimizerState, restoreOptimizerState } from 'tfjs-gan';
 * const optimizer = tf.train.adam(2e-4, 0.5);
 * const state = await optimizerState(optimizer); // [{ name: 'iter', … }, accBeta1, accBeta2]
 * const fresh = tf.train.adam(2e-4, 0.5);
 * await restoreOptimizerState(fresh, state);
 * tf.dispose(state.map((s) => s.tensor));
 * ```
 * @category IO
 */
export async function optimizerState(optimizer: tf.Optimizer): Promise<NamedTensor[]> {
  const where = 'optimizerState';
  checkOptimizer(where, optimizer);
  let weights: NamedTensor[];
  try {
    weights = await optimizer.getWeights();
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Error(
      `${where}: TensorFlow.js cannot read the state of this optimizer ` +
        `(${optimizer.getClassName()}): ${reason}`,
      { cause },
    );
  }
  const o = optimizer as WithExtras;
  // 'iter' is a new scalar; the slots are the optimizer's own variables, so copy those.
  const state = weights.map(({ name, tensor }, i) => ({
    name,
    tensor: i === 0 && name === 'iter' ? tensor : tf.clone(tensor),
  }));
  for (const key of extrasOf(optimizer)) state.push({ name: key, tensor: tf.clone(o[key]!) });
  return state;
}

/**
 * Restores state read by {@link optimizerState} into an optimizer of the same kind and
 * settings, built for the same variables in the same order.
 *
 * @param optimizer - the optimizer to restore into; state it already had is replaced and
 *   its tensors freed.
 * @param state - the named tensors, in the order {@link optimizerState} returned them; not
 *   disposed (the optimizer keeps its own references).
 * @returns when the optimizer holds the state.
 * @throws TypeError when `optimizer` is not a `tf.Optimizer` or `state` is not an array of
 *   `{ name, tensor }`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { loadCheckpoint, restoreOptimizerState } from 'tfjs-gan';
 * import { checkpointDirectory } from 'tfjs-gan/node';
 * const { groups } = await loadCheckpoint(checkpointDirectory('runs/1'));
 * const optimizer = tf.train.adam(2e-4, 0.5);
 * await restoreOptimizerState(optimizer, groups.generatorOptimizer);
 * ```
 * @category IO
 */
export async function restoreOptimizerState(
  optimizer: tf.Optimizer,
  state: readonly NamedTensor[],
): Promise<void> {
  const where = 'restoreOptimizerState';
  checkOptimizer(where, optimizer);
  const ok =
    Array.isArray(state) &&
    state.every((s) => typeof s?.name === 'string' && s.tensor instanceof tf.Tensor);
  if (!ok) {
    throw new TypeError(
      `${where}: state must be an array of { name, tensor }, got ${describeValue(state)}.`,
    );
  }
  const extras = extrasOf(optimizer) as readonly string[];
  const previous = await optimizer.getWeights();
  await optimizer.setWeights(state.filter((s) => !extras.includes(s.name)));
  // setWeights replaces the slot variables without freeing the old ones (and 'iter' is new).
  tf.dispose(previous.map((p) => p.tensor));
  const o = optimizer as WithExtras;
  for (const { name, tensor } of state) {
    if (extras.includes(name)) o[name as (typeof ADAM_EXTRAS)[number]]!.assign(tensor);
  }
}
