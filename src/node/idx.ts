import { readFile } from 'node:fs/promises';

import { parseIdx, type IdxArray } from '../data/idx';
import { describeValue } from '../errors';
import { describeFsError } from './fs-errors';

/**
 * Reads an IDX file (the MNIST format) from disk, plain or gzip-compressed (`.gz`), and
 * decodes it with `parseIdx`.
 *
 * @param path - the file's path, absolute or relative to the working folder.
 * @returns a promise of `{ dtype, shape, data }`, e.g. `shape` `[60000, 28, 28]` and `dtype`
 *   `'uint8'` for MNIST's training images.
 * @throws TypeError if `path` is not a non-empty string.
 * @throws Error naming the path if the file does not exist or cannot be read (the file
 *   system's error is its `cause`).
 * @throws FormatError if the contents are not a valid IDX file (see `parseIdx`).
 * @example
 * ```ts
 * import { readIdx } from 'tfjs-gan/node';
 * const images = await readIdx('data/train-images-idx3-ubyte.gz');
 * images.shape; // [60000, 28, 28]
 * ```
 * @category Node
 */
export async function readIdx(path: string): Promise<IdxArray> {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(`readIdx: path must be a non-empty string, got ${describeValue(path)}.`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    const reason = describeFsError(cause);
    throw new Error(`readIdx: cannot read ${describeValue(path)}: ${reason}.`, { cause });
  }
  return parseIdx(bytes, path);
}
