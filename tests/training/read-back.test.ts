import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { meanSigmoid, readTogether } from '../../src/training/read-back';

describe('readTogether', () => {
  it.each([
    ['each tensor as it is (host-memory backends)', false],
    ['packed into one read (GPU backends)', true],
  ])('reads every tensor, flattened and in order: %s', async (_, packed) => {
    const tensors = [tf.tensor1d([1, 2, 3]), tf.tensor2d([[4], [5]]), tf.scalar(6)];
    const before = tf.memory().numTensors;
    const values = await readTogether(tensors, packed);
    expect(values.map((v) => Array.from(v))).toEqual([[1, 2, 3], [4, 5], [6]]);
    // The packed read's own tensors are freed; the caller's are left alone.
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(tensors);
  });

  it('reads each tensor as it is on the cpu backend by default', async () => {
    expect(tf.getBackend()).toBe('cpu');
    const tensors = [tf.tensor1d([7, 8]), tf.tensor1d([9])];
    const [, second] = await readTogether(tensors);
    // Packed, the second tensor's values would be a view 2 floats (8 bytes) into one array;
    // read as it is, they are an array of their own.
    expect(Array.from(second)).toEqual([9]);
    expect(second.byteOffset).toBe(0);
    const [, packedSecond] = await readTogether(tensors, true);
    expect(packedSecond.byteOffset).toBe(8);
    tf.dispose(tensors);
  });
});

describe('meanSigmoid', () => {
  it('is the mean of 1 / (1 + e^-v)', () => {
    // σ(0) = 1/2; σ(ln 3) = 1 / (1 + 1/3) = 3/4; σ(−ln 3) = 1 / (1 + 3) = 1/4.
    expect(meanSigmoid([0])).toBe(0.5);
    expect(meanSigmoid([Math.log(3)])).toBeCloseTo(0.75, 12);
    expect(meanSigmoid([Math.log(3), -Math.log(3), 0])).toBeCloseTo((0.75 + 0.25 + 0.5) / 3, 12);
    // Large logits saturate without overflow: σ(1000) = 1, σ(−1000) = 0.
    expect(meanSigmoid([1000, -1000])).toBe(0.5);
  });
});
