/**
 * The files of a checkpoint folder: durable writes, the `latest.json` list of retained
 * checkpoints, and reading one checkpoint folder back with path and byte-count checks.
 *
 * @module
 * @internal
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describeValue, FormatError } from '../errors';
import type { CheckpointArtifacts } from '../io/checkpoint';
import { describeFsError } from './fs-errors';

const WHERE = 'checkpointDirectory';
/** The list of retained checkpoints, newest first. */
export const LIST_FILE = 'latest.json';
/** A checkpoint folder's manifest, in the layout of a TensorFlow.js `model.json`. */
export const MANIFEST_FILE = 'checkpoint.json';
/** A checkpoint folder's weight data. */
export const WEIGHTS_FILE = 'weights.bin';
/** `format` of `latest.json`. */
const LIST_FORMAT = 'tfjs-gan-checkpoint-list';
/** `ckpt-<step>-<8 hex digits>`: the only folder names ever read or removed. */
export const FOLDER_PATTERN = /^ckpt-(\d+)-([0-9a-f]{8})$/;
/** Prefix of folders being written; never read, removed by the next save. */
export const TEMP_PREFIX = '.tmp-ckpt-';

/** Writes a new file and flushes it to disk. */
export async function writeDurable(path: string, data: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (new names, renames) to disk; Windows cannot open folders. */
export async function syncFolder(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `latest.json`'s contents. */
export function listJson(names: readonly string[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: LIST_FORMAT, checkpoints: names }));
}

function readError(path: string, cause: unknown): Error {
  const reason = describeFsError(cause);
  return new Error(`${WHERE}: cannot read ${describeValue(path)}: ${reason}.`, { cause });
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const error = new FormatError(path, `${WHERE}: ${describeValue(path)} is not valid JSON.`);
    error.cause = cause;
    throw error;
  }
}

/**
 * The retained checkpoints' folder names, newest first; `[]` when `dir` has no `latest.json`.
 *
 * @throws FormatError when `latest.json` is corrupt or names a folder that is not a
 *   checkpoint folder name (so it can never point outside `dir`).
 */
export async function readList(dir: string): Promise<string[]> {
  const path = join(dir, LIST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw readError(path, cause);
  }
  const list = parseJson(path, text);
  const names = (list as { checkpoints?: unknown } | null)?.checkpoints;
  if ((list as { format?: unknown } | null)?.format !== LIST_FORMAT || !Array.isArray(names)) {
    throw new FormatError(
      path,
      `${WHERE}: ${describeValue(path)} must hold { format: '${LIST_FORMAT}', checkpoints: ` +
        '[folder names] }; it is corrupt.',
    );
  }
  for (const name of names) {
    if (typeof name !== 'string' || !FOLDER_PATTERN.test(name)) {
      throw new FormatError(
        path,
        `${WHERE}: ${describeValue(path)} names the folder ${describeValue(name)}, which is not ` +
          'a checkpoint folder name (ckpt-<step>-<8 hex digits>); refusing to read it.',
      );
    }
  }
  return names as string[];
}

/** A weight path from `checkpoint.json` as a plain file name in the same folder, or `null`. */
function plainFileName(path: unknown): string | null {
  if (typeof path !== 'string') return null;
  const name = path.startsWith('./') ? path.slice(2) : path;
  const plain = name !== '' && name !== '.' && name !== '..' && !/[/\\:\0]/.test(name);
  return plain ? name : null;
}

/**
 * Reads one checkpoint folder: `checkpoint.json` (a TensorFlow.js `model.json` whose
 * `modelTopology` is the manifest) and the one weight file it lists, checking the path stays
 * in the folder and the file holds the manifest's byte count. The manifest itself is
 * verified by `loadCheckpoint`.
 */
export async function readFolder(folder: string): Promise<CheckpointArtifacts> {
  const jsonPath = join(folder, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (cause) {
    throw readError(jsonPath, cause);
  }
  const json = parseJson(jsonPath, text) as {
    modelTopology?: unknown;
    weightsManifest?: { paths?: unknown }[];
  } | null;
  const paths = json?.weightsManifest?.[0]?.paths;
  const ok =
    typeof json?.modelTopology === 'object' &&
    json.modelTopology !== null &&
    json.weightsManifest?.length === 1 &&
    Array.isArray(paths) &&
    paths.length === 1;
  if (!ok) {
    throw new FormatError(
      jsonPath,
      `${WHERE}: ${describeValue(jsonPath)} must hold a modelTopology object (the manifest) ` +
        'and a weightsManifest with one group of one path; it is not a tfjs-gan checkpoint.',
    );
  }
  const name = plainFileName((paths as unknown[])[0]);
  if (name === null) {
    throw new FormatError(
      jsonPath,
      `${WHERE}: ${describeValue(jsonPath)} lists the weight path ` +
        `${describeValue((paths as unknown[])[0])}, which is not a plain file name inside ` +
        `${describeValue(folder)}; refusing to read it.`,
    );
  }
  const weightsPath = join(folder, name);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(weightsPath);
  } catch (cause) {
    throw readError(weightsPath, cause);
  }
  const manifest = json!.modelTopology as CheckpointArtifacts['manifest'];
  if (typeof manifest.byteLength === 'number' && manifest.byteLength !== bytes.length) {
    throw new FormatError(
      weightsPath,
      `${WHERE}: ${describeValue(weightsPath)} holds ${bytes.length} bytes, but ` +
        `${describeValue(jsonPath)} describes ${manifest.byteLength}; the checkpoint is corrupt.`,
    );
  }
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  return { manifest, weightData: weightData as ArrayBuffer };
}
