import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { encodePng, writeImageGrid } from '../../src/node/png';
import { expectNoLeaks, expectRejects, expectThrows } from '../helpers/fixtures/throws';

const { PNG } = pngjs;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tfjs-gan-png-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Decodes a PNG (pngjs always hands back RGBA) into rows of [r, g, b, a] pixels. */
function decode(bytes: Uint8Array): { width: number; height: number; pixels: number[][][] } {
  const png = PNG.sync.read(Buffer.from(bytes));
  const pixels = Array.from({ length: png.height }, (_, y) =>
    Array.from({ length: png.width }, (_, x) => {
      const at = 4 * (y * png.width + x);
      return Array.from(png.data.subarray(at, at + 4));
    }),
  );
  return { width: png.width, height: png.height, pixels };
}

/**
 * The IHDR colour type: after the 8-byte signature come 4 (length) + 4 ('IHDR') + 4 (width)
 * + 4 (height) + 1 (bit depth) bytes, so it is byte 8 + 17 = 25.
 */
const colorType = (bytes: Uint8Array) => bytes[25];

describe('encodePng', () => {
  it('writes one channel as a grayscale PNG', () => {
    const bytes = encodePng(new Uint8Array([0, 255, 128, 64]), [2, 2, 1]);
    expect(colorType(bytes)).toBe(0); // PNG colour type 0 = grayscale
    const { width, height, pixels } = decode(bytes);
    expect([width, height]).toEqual([2, 2]);
    expect(pixels).toEqual([
      [
        [0, 0, 0, 255],
        [255, 255, 255, 255],
      ],
      [
        [128, 128, 128, 255],
        [64, 64, 64, 255],
      ],
    ]);
  });

  it('writes three channels as RGB and upscales by whole pixels', () => {
    const bytes = encodePng(new Uint8Array([10, 20, 30, 40, 50, 60]), [1, 2, 3], { scale: 3 });
    expect(colorType(bytes)).toBe(2); // PNG colour type 2 = RGB
    const { width, height, pixels } = decode(bytes);
    // 1×2 pixels · 3 = 3×6; pixel (y, x) copies source (floor(y/3), floor(x/3)).
    expect([width, height]).toEqual([6, 3]);
    const left = [10, 20, 30, 255];
    const right = [40, 50, 60, 255];
    for (const row of pixels) expect(row).toEqual([left, left, left, right, right, right]);
  });

  it('rejects bad arguments with exact messages', () => {
    expectThrows(
      () => encodePng(new Uint8Array(8), [2, 2, 2]),
      RangeError,
      'encodePng: shape must be [height, width, channels] with 1 or 3 channels, got [2,2,2].',
    );
    expectThrows(
      () => encodePng(new Uint8Array(3), [2, 2, 1]),
      RangeError,
      'encodePng: pixels must have 4 values for shape [2,2,1], got 3.',
    );
    expectThrows(
      () => encodePng(new Uint8Array(4), [2, 2, 1], { scale: 0 }),
      RangeError,
      'encodePng: options.scale must be an integer >= 1, got 0.',
    );
  });
});

describe('writeImageGrid', () => {
  it('writes a grid of [-1, 1] images as a PNG, creating folders', async () => {
    const path = join(dir, 'nested', 'deeper', 'grid.png');
    const images = tf.tensor4d([-1, 1], [2, 1, 1, 1]);
    await writeImageGrid(path, images, { columns: 2, padding: 1, padValue: 0, scale: 2 });
    images.dispose();
    const { width, height, pixels } = decode(await readFile(path));
    // Grid [1·(1+1)+1, 2·(1+1)+1] = [3, 5], times scale 2 = 6 rows × 10 columns.
    expect([width, height]).toEqual([10, 6]);
    // Pad 0 → round((0+1)·127.5) = round(127.5) = 128; −1 → 0; 1 → (1+1)·127.5 = 255.
    const gray = pixels.map((row) => row.map((p) => p[0]));
    const pad = [128, 128, 128, 128, 128, 128, 128, 128, 128, 128];
    const middle = [128, 128, 0, 0, 128, 128, 255, 255, 128, 128];
    expect(gray).toEqual([pad, pad, middle, middle, pad, pad]);
    // Written atomically: only the PNG remains, no temporary file.
    expect(await readdir(join(dir, 'nested', 'deeper'))).toEqual(['grid.png']);
  });

  it('writes colour images as RGB', async () => {
    const path = join(dir, 'colour.png');
    // One 1×1 image (r, g, b) = (−1, 0, 1) → (0, 128, 255).
    const images = tf.tensor4d([-1, 0, 1], [1, 1, 1, 3]);
    await writeImageGrid(path, images, { padding: 0 });
    images.dispose();
    const bytes = await readFile(path);
    expect(colorType(bytes)).toBe(2);
    expect(decode(bytes).pixels).toEqual([[[0, 128, 255, 255]]]);
  });

  it('does not leak tensors', async () => {
    const images = tf.zeros([4, 3, 3, 1]) as tf.Tensor4D;
    await expectNoLeaks(() => writeImageGrid(join(dir, 'leak.png'), images));
    expect(images.isDisposed).toBe(false);
    images.dispose();
  });

  it('rejects images that are neither grayscale nor RGB', async () => {
    const images = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D;
    await expectRejects(
      writeImageGrid(join(dir, 'bad.png'), images),
      RangeError,
      'writeImageGrid: images must have 1 or 3 channels, got shape [1,2,2,2].',
    );
    images.dispose();
  });
});
