import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Runs `body` and asserts that it leaves the number of live tensors unchanged. */
export async function expectNoLeaks<T>(body: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await body();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}
