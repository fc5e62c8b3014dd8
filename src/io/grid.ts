import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkNumber, describeValue } from '../errors';

/**
 * Options of {@link imageGrid}.
 *
 * @category IO
 */
export interface ImageGridOptions {
  /** Tiles per row; an integer >= 1. @defaultValue `ceil(sqrt(n))`, a near-square sheet */
  columns?: number;
  /** Pixels of border around and between tiles; an integer >= 0. @defaultValue `2` */
  padding?: number;
  /**
   * Value of the border and of empty cells, in the images' range [-1, 1].
   * @defaultValue `1` (white, which separates dark MNIST tiles)
   */
  padValue?: number;
}

/**
 * Lays a batch of images out as one sample sheet: tiles in row-major order, `columns` per
 * row, with `padding` pixels of `padValue` around and between them; cells after the last
 * image are filled with `padValue`.
 *
 * @param images - a tensor `[n, height, width, channels]`, n >= 1, typically in [-1, 1]. It is
 *   read, not disposed.
 * @param options - columns, padding and pad value.
 * @returns a tensor `[rows·(height+p)+p, columns·(width+p)+p, channels]` with
 *   `rows = ceil(n / columns)` and `p = padding`, of the images' dtype.
 * @throws TypeError if `images` is not a tensor or an option is not an integer / a number.
 * @throws RangeError if `images` is not of rank 4 with n >= 1, `columns` < 1 or `padding` < 0.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { imageGrid } from 'tfjs-gan';
 * const samples = tf.randomUniform([16, 28, 28, 1], -1, 1) as tf.Tensor4D;
 * const sheet = imageGrid(samples, { columns: 4 }); // [4·30+2, 4·30+2, 1] = [122, 122, 1]
 * ```
 * @category IO
 */
export function imageGrid(images: tf.Tensor4D, options: ImageGridOptions = {}): tf.Tensor3D {
  const where = 'imageGrid';
  if (!(images instanceof tf.Tensor)) {
    throw new TypeError(`${where}: images must be a tf.Tensor, got ${describeValue(images)}.`);
  }
  if (images.rank !== 4 || images.shape[0] < 1) {
    throw new RangeError(
      `${where}: images must have shape [n, height, width, channels] with n >= 1, ` +
        `got ${describeValue(images.shape)}.`,
    );
  }
  const [n, h, w, c] = images.shape;
  const defaultColumns = Math.ceil(Math.sqrt(n));
  const columns = checkInteger(where, 'options.columns', options.columns ?? defaultColumns, 1);
  const p = checkInteger(where, 'options.padding', options.padding ?? 2, 0);
  const padValue = checkNumber(where, 'options.padValue', options.padValue ?? 1);
  const rows = Math.ceil(n / columns);
  return tf.tidy(() => {
    // Pad each tile on its top and left: [n, h+p, w+p, c].
    let tiles: tf.Tensor4D = tf.pad(
      images,
      [
        [0, 0],
        [p, 0],
        [p, 0],
        [0, 0],
      ],
      padValue,
    );
    const empty = rows * columns - n;
    if (empty > 0) {
      const blank = tf.fill([empty, h + p, w + p, c], padValue, images.dtype) as tf.Tensor4D;
      tiles = tf.concat([tiles, blank], 0);
    }
    // [rows, columns, h+p, w+p, c] → [rows, h+p, columns, w+p, c] → [rows·(h+p), columns·(w+p), c]
    const sheet = tiles
      .reshape([rows, columns, h + p, w + p, c])
      .transpose([0, 2, 1, 3, 4])
      .reshape([rows * (h + p), columns * (w + p), c]) as tf.Tensor3D;
    // Close the border on the bottom and right.
    return tf.pad(
      sheet,
      [
        [0, p],
        [0, p],
        [0, 0],
      ],
      padValue,
    );
  });
}
