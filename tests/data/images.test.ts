import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { imagesToTensor, tensorToImages } from '../../src/data/images';
import { expectNoLeaks, expectRejects, expectThrows } from '../helpers/fixtures/throws';

describe('imagesToTensor', () => {
  it('maps bytes to [-1, 1] by x / 127.5 − 1 and adds a channel axis to rank-3 shapes', () => {
    const images = imagesToTensor(new Uint8Array([0, 51, 127, 128, 204, 255]), [1, 2, 3]);
    expect(images.shape).toEqual([1, 2, 3, 1]);
    expect(images.dtype).toBe('float32');
    const values = Array.from(images.dataSync());
    images.dispose();
    // 0/127.5 − 1 = −1; 51/127.5 − 1 = 0.4 − 1 = −0.6; 127/127.5 − 1 = −0.5/127.5 ≈ −0.0039216;
    // 128/127.5 − 1 = 0.5/127.5 ≈ 0.0039216; 204/127.5 − 1 = 1.6 − 1 = 0.6; 255/127.5 − 1 = 1.
    const expected = [-1, -0.6, -0.5 / 127.5, 0.5 / 127.5, 0.6, 1];
    values.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    // The end points are exact in float32.
    expect(values[0]).toBe(-1);
    expect(values[5]).toBe(1);
  });

  it('keeps a given channel count', () => {
    const images = imagesToTensor(new Uint8Array(2 * 2 * 2 * 3), [2, 2, 2, 3]);
    expect(images.shape).toEqual([2, 2, 2, 3]);
    images.dispose();
  });

  it('leaves only its result alive', async () => {
    await expectNoLeaks(() => imagesToTensor(new Uint8Array(4), [1, 2, 2]).dispose());
  });

  it('rejects shapes of the wrong rank', () => {
    expectThrows(
      () => imagesToTensor(new Uint8Array(2), [1, 2]),
      RangeError,
      'imagesToTensor: shape must be [batch, height, width] or [batch, height, width, ' +
        'channels], got [1,2].',
    );
  });

  it('rejects sizes below 1', () => {
    expectThrows(
      () => imagesToTensor(new Uint8Array(0), [1, 0, 3]),
      RangeError,
      'imagesToTensor: shape[1] must be an integer >= 1, got 0.',
    );
  });

  it('rejects data whose length does not match the shape', () => {
    // [1,2,3] → [1,2,3,1] holds 1·2·3·1 = 6 values; 5 are given.
    expectThrows(
      () => imagesToTensor(new Uint8Array(5), [1, 2, 3]),
      RangeError,
      'imagesToTensor: data must have 6 values for shape [1,2,3,1], got 5.',
    );
  });

  it('rejects data that is not bytes', () => {
    expectThrows(
      () => imagesToTensor(new Float32Array(4) as unknown as Uint8Array, [1, 2, 2]),
      TypeError,
      'imagesToTensor: data must be a Uint8Array, got a Float32Array.',
    );
  });
});

describe('tensorToImages', () => {
  it('maps [-1, 1] to bytes by round((x + 1) · 127.5)', async () => {
    const images = tf.tensor3d([-1, -0.6, 0, 0.6, 1], [1, 5, 1]);
    // (−1+1)·127.5 = 0; (−0.6+1)·127.5 = 51; (0+1)·127.5 = 127.5 → rounds up to 128;
    // (0.6+1)·127.5 = 204; (1+1)·127.5 = 255.
    expect(Array.from(await tensorToImages(images))).toEqual([0, 51, 128, 204, 255]);
    images.dispose();
  });

  it('clamps values outside [-1, 1] and turns NaN into 0', async () => {
    const images = tf.tensor4d([-2, -1.5, 1.5, 3, NaN], [1, 1, 5, 1]);
    // (−2+1)·127.5 = −127.5 → 0; (−1.5+1)·127.5 = −63.75 → 0; (1.5+1)·127.5 = 318.75 → 255;
    // (3+1)·127.5 = 510 → 255; NaN → 0.
    expect(Array.from(await tensorToImages(images))).toEqual([0, 0, 255, 255, 0]);
    images.dispose();
  });

  it('inverts imagesToTensor for every byte value', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const images = imagesToTensor(bytes, [1, 16, 16]);
    // (x/127.5 − 1 + 1)·127.5 = x up to float32 rounding (< 1e-4), which rounds back to x.
    expect(await tensorToImages(images)).toEqual(bytes);
    images.dispose();
  });

  it('neither leaks nor disposes its input', async () => {
    const images = tf.zeros([1, 2, 2, 1]);
    await expectNoLeaks(() => tensorToImages(images));
    expect(images.isDisposed).toBe(false);
    images.dispose();
  });

  it('rejects tensors that are not images', async () => {
    const flat = tf.zeros([2, 2]);
    await expectRejects(
      tensorToImages(flat),
      RangeError,
      'tensorToImages: images must have rank 3 [height, width, channels] or rank 4 ' +
        '[batch, height, width, channels], got shape [2,2].',
    );
    flat.dispose();
    await expectRejects(
      tensorToImages([1] as unknown as tf.Tensor),
      TypeError,
      'tensorToImages: images must be a tf.Tensor, got [1].',
    );
  });
});
