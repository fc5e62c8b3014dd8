import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { decodeCheckpoint, encodeCheckpoint, type NamedTensor } from '../../src/io/checkpoint';
import { optimizerState, restoreOptimizerState } from '../../src/io/checkpoint-optimizer';
import { expectRejects } from '../helpers/fixtures/throws';

/** Steps start+1 … start+steps of minimising `0.3 · Σ (v − target)²`, a moving target. */
function train(optimizer: tf.Optimizer, v: tf.Variable, start: number, steps: number): void {
  for (let i = start; i < start + steps; i++) {
    tf.tidy(() => {
      const target = tf.scalar(i + 1);
      optimizer.minimize(() => tf.sum(tf.mul(tf.square(tf.sub(v, target)), 0.3)) as tf.Scalar);
    });
  }
}

/** Values after 30 + 20 steps without stopping, and after a checkpoint at step 30. */
async function resumeRun(
  make: () => tf.Optimizer,
  restore: (o: tf.Optimizer, state: NamedTensor[], plain: NamedTensor[]) => Promise<void>,
): Promise<{ straight: Float32Array; resumed: Float32Array }> {
  const v = tf.variable(tf.tensor1d([0.1, -0.7, 2]));
  const optimizer = make();
  train(optimizer, v, 0, 30);
  // Through the checkpoint format, as a resume from disk would go.
  const state = await optimizerState(optimizer);
  const { manifest, weightData } = await encodeCheckpoint({
    step: 30,
    config: {},
    random: null,
    groups: { v: [{ name: 'v', tensor: v }], optimizer: state },
  });
  tf.dispose(state.map((s) => s.tensor));
  train(optimizer, v, 30, 20);
  const straight = (await v.data()) as Float32Array;

  const { groups } = decodeCheckpoint(manifest, weightData);
  const w = tf.variable(groups.v[0].tensor);
  const fresh = make();
  const plain = groups.optimizer.filter((s) => !s.name.startsWith('accBeta'));
  await restore(fresh, groups.optimizer, plain);
  expect(fresh.iterations).toBe(30);
  train(fresh, w, 30, 20);
  const resumed = (await w.data()) as Float32Array;
  tf.dispose([v, w, ...groups.v.map((s) => s.tensor), ...groups.optimizer.map((s) => s.tensor)]);
  optimizer.dispose();
  fresh.dispose();
  return { straight, resumed };
}

const viaHelper = (o: tf.Optimizer, state: NamedTensor[]) => restoreOptimizerState(o, state);

describe('optimizerState and restoreOptimizerState', () => {
  it('resume Adam bit for bit, where getWeights/setWeights alone drift', async () => {
    const adam = () => tf.train.adam(0.01, 0.5, 0.999);
    const exact = await resumeRun(adam, viaHelper);
    // Same state, same kernels, same order of operations: identical float32 values.
    expect(exact.resumed).toEqual(exact.straight);
    const plain = await resumeRun(adam, (o, _state, withoutExtras) => o.setWeights(withoutExtras));
    // setWeights recomputes beta^(t+1) with pow instead of the running product.
    expect(plain.resumed).not.toEqual(plain.straight);
  });

  it('resume RMSProp, momentum, Adagrad and SGD bit for bit', async () => {
    const makers = [
      () => tf.train.rmsprop(0.01, 0.9, 0.5),
      () => tf.train.momentum(0.01, 0.9),
      () => tf.train.adagrad(0.1),
      () => tf.train.sgd(0.01),
    ];
    for (const make of makers) {
      const { straight, resumed } = await resumeRun(make, viaHelper);
      expect(resumed).toEqual(straight);
    }
  });

  it('name Adam state as TensorFlow.js does, plus the two running powers', async () => {
    const v = tf.variable(tf.tensor1d([1, 2]), true, 'checkpoint_optimizer_v');
    const optimizer = tf.train.adam(0.1, 0.5, 0.75);
    train(optimizer, v, 0, 2);
    const state = await optimizerState(optimizer);
    expect(state.map((s) => s.name)).toEqual([
      'iter',
      'checkpoint_optimizer_v/m',
      'checkpoint_optimizer_v/v',
      'accBeta1',
      'accBeta2',
    ]);
    expect(state[0].tensor.dtype).toBe('int32');
    // After 2 steps the running powers are beta^3: 0.5³ = 0.125 and 0.75³ = 0.421875.
    expect(Array.from(await state[3].tensor.data())).toEqual([0.125]);
    expect(Array.from(await state[4].tensor.data())).toEqual([0.421875]);
    tf.dispose([v, ...state.map((s) => s.tensor)]);
    optimizer.dispose();
  });

  it('leak nothing: state is the caller’s, replaced state is freed', async () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const optimizer = tf.train.adam(0.1);
    train(optimizer, v, 0, 3);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const state = await optimizerState(optimizer);
      await restoreOptimizerState(optimizer, state);
      tf.dispose(state.map((s) => s.tensor));
    }
    expect(tf.memory().numTensors).toBe(before);
    v.dispose();
    optimizer.dispose();
  });

  it('check their arguments', async () => {
    await expectRejects(
      optimizerState({} as tf.Optimizer),
      TypeError,
      'optimizerState: optimizer must be a tf.Optimizer, got an object.',
    );
    await expectRejects(
      restoreOptimizerState(tf.train.sgd(1), [{ name: 'iter' }] as NamedTensor[]),
      TypeError,
      'restoreOptimizerState: state must be an array of { name, tensor }, got [an object].',
    );
    await expectRejects(
      optimizerState(tf.train.adamax(0.1)),
      Error,
      'optimizerState: TensorFlow.js cannot read the state of this optimizer (Adamax): ' +
        'getWeights() is not implemented for Adamax yet.',
    );
  });
});
