/**
 * Reading the weight files a `model.json` lists, for the `fileSystem` IO handler: path safety,
 * byte-count checks, concatenation.
 *
 * @module
 * @internal
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type * as tf from '@tensorflow/tfjs';

import { describeValue, FormatError } from '../errors';
import { describeFsError } from './fs-errors';

const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** Bytes one weight occupies in the file, or `null` when it cannot be known (strings). */
export function weightBytes(spec: tf.io.WeightsManifestEntry): number | null {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = spec.shape.reduce((a, b) => a * b, 1);
  return dtype in DTYPE_BYTES ? size * DTYPE_BYTES[dtype] : null;
}

/**
 * Resolves a weight path from `model.json` inside `dir`, refusing any that leaves it.
 *
 * @throws FormatError if the path is absolute or climbs out of `dir`.
 */
export function resolveInside(dir: string, path: string, jsonPath: string): string {
  const root = resolve(dir);
  const target = resolve(root, path);
  const rel = relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new FormatError(
      jsonPath,
      `fileSystem: ${describeValue(jsonPath)} lists the weight path ${describeValue(path)}, ` +
        `which points outside ${describeValue(dir)}; refusing to read it.`,
    );
  }
  return target;
}

function checkManifest(manifest: unknown, jsonPath: string): tf.io.WeightsManifestConfig {
  const ok =
    Array.isArray(manifest) &&
    manifest.every(
      (group) =>
        typeof group === 'object' &&
        group !== null &&
        Array.isArray(group.paths) &&
        group.paths.every((p: unknown) => typeof p === 'string') &&
        Array.isArray(group.weights),
    );
  if (!ok) {
    throw new FormatError(
      jsonPath,
      `fileSystem: ${describeValue(jsonPath)} has a malformed weightsManifest: expected an ` +
        `array of { paths: string[], weights: [...] } groups.`,
    );
  }
  return manifest as tf.io.WeightsManifestConfig;
}

/**
 * Reads every weight file of `manifest` (relative to `dir`), checks each group's byte count
 * against its specs, and returns all specs with the concatenated data, in manifest order.
 *
 * @throws Error naming the file if one is missing or unreadable.
 * @throws FormatError for a malformed manifest, an escaping path or a wrong byte count.
 */
export async function readWeightFiles(
  dir: string,
  manifest: unknown,
  jsonPath: string,
): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> {
  const groups = checkManifest(manifest, jsonPath);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of groups) {
    const files = group.paths.map((p) => resolveInside(dir, p, jsonPath));
    const parts = await Promise.all(files.map((file) => readWeightFile(file, jsonPath)));
    const actual = parts.reduce((sum, part) => sum + part.length, 0);
    const sizes = group.weights.map(weightBytes);
    if (sizes.every((s) => s !== null)) {
      const expected = (sizes as number[]).reduce((a, b) => a + b, 0);
      if (actual !== expected) {
        const names = files.map((f) => describeValue(f)).join(', ');
        throw new FormatError(
          files.join(', '),
          `fileSystem: ${names} ${files.length === 1 ? 'holds' : 'hold'} ${actual} bytes, but ` +
            `${describeValue(jsonPath)} describes ${expected} bytes of weights ` +
            `(${group.weights.length} tensors); the files are corrupt or do not belong together.`,
        );
      }
    }
    specs.push(...group.weights);
    chunks.push(...parts);
  }
  const data = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.length;
  }
  return [specs, data.buffer];
}

async function readWeightFile(file: string, jsonPath: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw new Error(
      `fileSystem: cannot read the weight file ${describeValue(file)} listed in ` +
        `${describeValue(jsonPath)}: ${describeFsError(cause)}.`,
      { cause },
    );
  }
}
