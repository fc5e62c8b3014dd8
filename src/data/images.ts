import * as tf from '@tensorflow/tfjs';

import { checkInteger, describeValue } from '../errors';

/**
 * Checks an image-batch shape `[batch, height, width]` or `[batch, height, width, channels]`
 * and returns it with the channel axis (1 when absent).
 *
 * @internal
 */
export function toImageShape(where: string, shape: unknown): [number, number, number, number] {
  if (!Array.isArray(shape) || (shape.length !== 3 && shape.length !== 4)) {
    throw new RangeError(
      `${where}: shape must be [batch, height, width] or [batch, height, width, channels], ` +
        `got ${describeValue(shape)}.`,
    );
  }
  shape.forEach((size, i) => checkInteger(where, `shape[${i}]`, size, 1));
  const [n, h, w, c = 1] = shape as number[];
  return [n, h, w, c];
}

/**
 * Writes `x / 127.5 - 1` for each byte of `bytes` into `out` from `offset`.
 *
 * @internal
 */
export function bytesToUnitRange(bytes: Uint8Array, out: Float32Array, offset = 0): void {
  for (let i = 0; i < bytes.length; i++) out[offset + i] = bytes[i] / 127.5 - 1;
}

/**
 * Turns 8-bit pixels into a float32 image batch in [-1, 1], the range a `tanh` generator
 * produces: `x / 127.5 − 1`, so 0 → −1, 127.5 → 0 and 255 → 1.
 *
 * @param data - pixel values in [0, 255], row-major, `batch · height · width · channels` of
 *   them (for example `parseIdx(...).data` of an MNIST image file).
 * @param shape - `[batch, height, width, channels]`, or `[batch, height, width]` for one
 *   channel; every size an integer >= 1.
 * @returns a float32 tensor of shape `[batch, height, width, channels]` in [-1, 1].
 * @throws RangeError if `shape` is not of rank 3 or 4 with sizes >= 1, or `data.length` is
 *   not the product of the sizes.
 * @throws TypeError if `data` is not a Uint8Array or a size is not an integer.
 * @example
 * ```ts
 * import { imagesToTensor } from 'tfjs-gan';
 * const pixels = new Uint8Array([0, 255, 255, 0]);
 * const images = imagesToTensor(pixels, [1, 2, 2]); // shape [1, 2, 2, 1]: [[-1, 1], [1, -1]]
 * ```
 * @category Data
 */
export function imagesToTensor(data: Uint8Array, shape: readonly number[]): tf.Tensor4D {
  if (!(data instanceof Uint8Array)) {
    throw new TypeError(`imagesToTensor: data must be a Uint8Array, got ${describeValue(data)}.`);
  }
  const full = toImageShape('imagesToTensor', shape);
  const size = full.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new RangeError(
      `imagesToTensor: data must have ${size} values for shape ${describeValue(full)}, ` +
        `got ${data.length}.`,
    );
  }
  return tf.tidy(() => {
    const values = new Float32Array(size);
    bytesToUnitRange(data, values);
    return tf.tensor4d(values, full, 'float32');
  });
}

/**
 * Turns images in [-1, 1] back into 8-bit pixels: `round((x + 1) · 127.5)`, clamped to
 * [0, 255], so −1 → 0, 0 → 128 (127.5 rounds up) and 1 → 255.
 *
 * @param images - a tensor of shape `[height, width, channels]` or
 *   `[batch, height, width, channels]` with values in [-1, 1]; values outside are clamped.
 *   It is read, not disposed.
 * @returns a promise of the pixels in the tensor's row-major order, one byte per value.
 * @throws TypeError if `images` is not a tensor.
 * @throws RangeError if `images` is not of rank 3 or 4.
 * @remarks NaN values become 0. The values are read with `await images.data()`, so the
 *   function does not block a WebGL backend.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { tensorToImages } from 'tfjs-gan';
 * const pixels = await tensorToImages(tf.tensor3d([-1, 0, 1], [1, 3, 1])); // [0, 128, 255]
 * ```
 * @category Data
 */
export async function tensorToImages(images: tf.Tensor): Promise<Uint8Array> {
  if (!(images instanceof tf.Tensor)) {
    throw new TypeError(
      `tensorToImages: images must be a tf.Tensor, got ${describeValue(images)}.`,
    );
  }
  if (images.rank !== 3 && images.rank !== 4) {
    throw new RangeError(
      `tensorToImages: images must have rank 3 [height, width, channels] or rank 4 ` +
        `[batch, height, width, channels], got shape ${describeValue(images.shape)}.`,
    );
  }
  const values = await images.data();
  const pixels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round((Number(values[i]) + 1) * 127.5);
    pixels[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return pixels;
}
