import pngjs from 'pngjs';
import type * as tf from '@tensorflow/tfjs';

import { tensorToImages } from '../data/images';
import { checkInteger, describeValue } from '../errors';
import { imageGrid, type ImageGridOptions } from '../io/grid';
import { writeFileAtomic } from './atomic';

const { PNG } = pngjs;

/** PNG colour types (PNG spec §11.2.2) for 1 and 3 channels. */
const COLOR_TYPES: Record<number, number> = { 1: 0, 3: 2 };

/**
 * Options of {@link encodePng}.
 *
 * @category Node
 */
export interface EncodePngOptions {
  /**
   * Integer upscaling factor: each pixel becomes a `scale × scale` block (nearest neighbour),
   * so small samples are visible in an image viewer. @defaultValue `1`
   */
  scale?: number;
}

/**
 * Options of {@link writeImageGrid}: the grid layout of `imageGrid` plus the PNG scale.
 *
 * @category Node
 */
export interface WriteImageGridOptions extends ImageGridOptions, EncodePngOptions {}

/**
 * Encodes 8-bit pixels as a PNG: a grayscale PNG for one channel, RGB for three.
 *
 * @param pixels - `height · width · channels` values in [0, 255], row-major.
 * @param shape - `[height, width, channels]` with channels 1 or 3.
 * @param options - upscaling.
 * @returns the PNG file's bytes; the image is `height·scale` by `width·scale` pixels.
 * @throws TypeError if `pixels` is not a Uint8Array or a size or `scale` is not an integer.
 * @throws RangeError if the shape is not `[height, width, 1 or 3]` with sizes >= 1, the
 *   pixel count does not match it, or `scale` < 1.
 * @example
 * ```ts
 * import { encodePng } from 'tfjs-gan/node';
 * const png = encodePng(new Uint8Array([0, 255, 255, 0]), [2, 2, 1], { scale: 8 }); // 16×16
 * ```
 * @category Node
 */
export function encodePng(
  pixels: Uint8Array,
  shape: readonly number[],
  options: EncodePngOptions = {},
): Uint8Array {
  const where = 'encodePng';
  if (!(pixels instanceof Uint8Array)) {
    throw new TypeError(`${where}: pixels must be a Uint8Array, got ${describeValue(pixels)}.`);
  }
  if (!Array.isArray(shape) || shape.length !== 3 || !(shape[2] in COLOR_TYPES)) {
    throw new RangeError(
      `${where}: shape must be [height, width, channels] with 1 or 3 channels, ` +
        `got ${describeValue(shape)}.`,
    );
  }
  const [h, w, c] = shape.map((size, i) => checkInteger(where, `shape[${i}]`, size, 1));
  if (pixels.length !== h * w * c) {
    throw new RangeError(
      `${where}: pixels must have ${h * w * c} values for shape ${describeValue([h, w, c])}, ` +
        `got ${pixels.length}.`,
    );
  }
  const scale = checkInteger(where, 'options.scale', options.scale ?? 1, 1);
  const png = new PNG({ width: w * scale, height: h * scale });
  png.data = Buffer.from(upscale(pixels, h, w, c, scale));
  const colorType = COLOR_TYPES[c] as 0 | 2;
  const bytes = PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Writes a batch of images in [-1, 1] to a PNG file as one sample sheet (see `imageGrid`),
 * atomically: the PNG goes to a temporary file in the same folder, which is then renamed over
 * `path`, so a viewer never sees half an image. Missing folders are created.
 *
 * @param path - the `.png` file to create or replace.
 * @param images - a tensor `[n, height, width, channels]` in [-1, 1] with 1 or 3 channels;
 *   read, not disposed.
 * @param options - grid layout (`columns`, `padding`, `padValue`) and `scale`.
 * @returns a promise that resolves once the file is in place.
 * @throws RangeError if `images` does not have 1 or 3 channels; as `imageGrid` and
 *   `encodePng` for other bad arguments; the file system's error if writing fails.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { writeImageGrid } from 'tfjs-gan/node';
 * const samples = tf.randomUniform([64, 28, 28, 1], -1, 1) as tf.Tensor4D; // e.g. generator output
 * await writeImageGrid('out/samples/step-1000.png', samples, { columns: 8, scale: 2 });
 * samples.dispose();
 * ```
 * @category Node
 */
export async function writeImageGrid(
  path: string,
  images: tf.Tensor4D,
  options: WriteImageGridOptions = {},
): Promise<void> {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(
      `writeImageGrid: path must be a non-empty string, got ${describeValue(path)}.`,
    );
  }
  const channels = images?.shape?.[3];
  if (images?.rank === 4 && !(channels in COLOR_TYPES)) {
    throw new RangeError(
      `writeImageGrid: images must have 1 or 3 channels, got shape ${describeValue(images.shape)}.`,
    );
  }
  const { scale, ...layout } = options;
  const grid = imageGrid(images, layout);
  let pixels: Uint8Array;
  try {
    pixels = await tensorToImages(grid);
  } finally {
    grid.dispose();
  }
  await writeFileAtomic(path, encodePng(pixels, grid.shape, { scale }));
}

function upscale(pixels: Uint8Array, h: number, w: number, c: number, scale: number): Uint8Array {
  if (scale === 1) return pixels;
  const out = new Uint8Array(h * scale * w * scale * c);
  const rowBytes = w * scale * c;
  for (let y = 0; y < h; y++) {
    const row = y * scale * rowBytes;
    for (let x = 0; x < w; x++) {
      for (let d = 0; d < scale; d++) {
        const at = row + (x * scale + d) * c;
        for (let k = 0; k < c; k++) out[at + k] = pixels[(y * w + x) * c + k];
      }
    }
    // The other scale − 1 rows of the block repeat the first.
    for (let d = 1; d < scale; d++) out.copyWithin(row + d * rowBytes, row, row + rowBytes);
  }
  return out;
}
