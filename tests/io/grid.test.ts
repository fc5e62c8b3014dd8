import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { imageGrid } from '../../src/io/grid';
import { expectNoLeaks, expectThrows } from '../helpers/fixtures/throws';

describe('imageGrid', () => {
  it('lays tiles out row by row with padding between and around them', () => {
    // Three 1×2 grayscale images [1 2], [3 4], [5 6]; 2 columns → rows = ceil(3/2) = 2.
    const images = tf.tensor4d([1, 2, 3, 4, 5, 6], [3, 1, 2, 1]);
    const grid = imageGrid(images, { columns: 2, padding: 1, padValue: -9 });
    // [rows·(h+p)+p, cols·(w+p)+p, c] = [2·(1+1)+1, 2·(2+1)+1, 1] = [5, 7, 1].
    expect(grid.shape).toEqual([5, 7, 1]);
    const P = -9;
    expect(grid.arraySync().map((row) => row.map((pixel) => pixel[0]))).toEqual([
      [P, P, P, P, P, P, P],
      [P, 1, 2, P, 3, 4, P],
      [P, P, P, P, P, P, P],
      [P, 5, 6, P, P, P, P], // the fourth cell is empty and takes the pad value
      [P, P, P, P, P, P, P],
    ]);
    images.dispose();
    grid.dispose();
  });

  it('defaults to a near-square sheet with a 2-pixel white border', () => {
    const images = tf.zeros([5, 2, 2, 3]) as tf.Tensor4D;
    const grid = imageGrid(images);
    // columns = ceil(sqrt(5)) = 3, rows = ceil(5/3) = 2, padding 2:
    // [2·(2+2)+2, 3·(2+2)+2, 3] = [10, 14, 3]; the corner is padValue 1 in every channel.
    expect(grid.shape).toEqual([10, 14, 3]);
    expect(grid.slice([0, 0, 0], [1, 1, 3]).dataSync()).toEqual(new Float32Array([1, 1, 1]));
    // The first tile starts at (p, p) = (2, 2) and is 0.
    expect(grid.slice([2, 2, 0], [1, 1, 3]).dataSync()).toEqual(new Float32Array([0, 0, 0]));
    images.dispose();
    grid.dispose();
  });

  it('concatenates side by side without padding', () => {
    const images = tf.tensor4d([1, 2, 3], [3, 1, 1, 1]);
    const grid = imageGrid(images, { columns: 3, padding: 0 });
    // [1·1+0, 3·1+0, 1] = [1, 3, 1].
    expect(grid.shape).toEqual([1, 3, 1]);
    expect(Array.from(grid.dataSync())).toEqual([1, 2, 3]);
    images.dispose();
    grid.dispose();
  });

  it('neither leaks nor disposes its input', async () => {
    const images = tf.ones([3, 4, 4, 1]) as tf.Tensor4D;
    await expectNoLeaks(() => imageGrid(images, { columns: 2 }).dispose());
    expect(images.isDisposed).toBe(false);
    images.dispose();
  });

  it('rejects bad arguments with exact messages', () => {
    const images = tf.zeros([2, 2, 2, 1]) as tf.Tensor4D;
    const flat = tf.zeros([2, 2, 2]) as unknown as tf.Tensor4D;
    expectThrows(
      () => imageGrid(flat),
      RangeError,
      'imageGrid: images must have shape [n, height, width, channels] with n >= 1, got [2,2,2].',
    );
    expectThrows(
      () => imageGrid(images, { columns: 0 }),
      RangeError,
      'imageGrid: options.columns must be an integer >= 1, got 0.',
    );
    expectThrows(
      () => imageGrid(images, { padding: 1.5 }),
      TypeError,
      'imageGrid: options.padding must be an integer, got 1.5.',
    );
    expectThrows(
      () => imageGrid(images, { padValue: NaN }),
      TypeError,
      'imageGrid: options.padValue must be a finite number, got NaN.',
    );
    expectThrows(
      () => imageGrid([] as unknown as tf.Tensor4D),
      TypeError,
      'imageGrid: images must be a tf.Tensor, got [].',
    );
    images.dispose();
    flat.dispose();
  });
});
