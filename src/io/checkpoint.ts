/**
 * The checkpoint format: named tensors in groups plus JSON state, encoded as a JSON manifest
 * and one buffer of weight data, verified in full before anything is decoded.
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs';

import { describeValue } from '../errors';
import { decode, encode } from './checkpoint-codec';
import type { CheckpointManifest, JsonValue } from './checkpoint-manifest';

/**
 * A tensor with the name it is saved under.
 *
 * @category IO
 */
export interface NamedTensor {
  /** Unique within its group, e.g. `'dense_1/kernel'` or `'iter'`. */
  name: string;
  /** A float32 or int32 tensor. */
  tensor: tf.Tensor;
}

/**
 * What a checkpoint holds, as given to {@link encodeCheckpoint} and {@link saveCheckpoint}.
 *
 * @category IO
 */
export interface CheckpointContents {
  /** How many training steps had run, an integer >= 0. */
  step: number;
  /** The training configuration: a plain object of JSON data. */
  config: object;
  /** The random stream's state: JSON data (`null` if there is none). */
  random: unknown;
  /**
   * Any other training state that must survive a resume, as a plain object of JSON data:
   * detector histories, schedule positions, counters.
   *
   * @defaultValue `{}`
   */
  state?: object;
  /**
   * Named tensors by group, e.g. `generator`, `discriminator`, `generatorOptimizer`,
   * `discriminatorOptimizer`, `generatorEma`; a group may be empty.
   */
  groups: Record<string, NamedTensor[]>;
}

/**
 * A decoded checkpoint, as {@link decodeCheckpoint} and {@link loadCheckpoint} return it; the
 * caller owns (and disposes) its tensors.
 *
 * @category IO
 */
export interface CheckpointData extends CheckpointContents {
  /** Always `'tfjs-gan-checkpoint'`. */
  format: 'tfjs-gan-checkpoint';
  /** The format version, `1`. */
  version: 1;
  config: { [key: string]: JsonValue };
  random: JsonValue;
  state: { [key: string]: JsonValue };
}

/**
 * An encoded checkpoint: the JSON manifest and the weight data it describes.
 *
 * @category IO
 */
export interface CheckpointArtifacts {
  /** The manifest; stores return what they read, unverified, as `unknown` in practice. */
  manifest: CheckpointManifest;
  /** Every tensor's bytes, little-endian, one after another in manifest order. */
  weightData: ArrayBuffer;
}

/**
 * Somewhere to keep one checkpoint: a browser's IndexedDB or localStorage, a download, a
 * folder on disk. {@link saveCheckpoint} and {@link loadCheckpoint} verify what passes
 * through, so a store only moves bytes.
 *
 * @category IO
 */
export interface CheckpointStore {
  /** Where the store keeps checkpoints, for messages: a folder path or a URL. */
  readonly location: string;
  /** Saves a checkpoint, replacing the previous one only once the new one is complete. */
  save(artifacts: CheckpointArtifacts): Promise<void>;
  /** Reads the latest checkpoint back. */
  load(): Promise<CheckpointArtifacts>;
}

/**
 * Encodes a checkpoint into a JSON manifest and one buffer of weight data, reading each
 * tensor with `await tensor.data()`.
 *
 * @param data - the step, config, random state, other state and named tensors by group;
 *   not disposed.
 * @returns the manifest and the weight data, ready for a {@link CheckpointStore}.
 * @throws TypeError when a field has the wrong kind of value (config, random or state that is
 *   not JSON data, a weight that is not a tensor).
 * @throws RangeError when a tensor is disposed, not float32 or int32, holds NaN or an
 *   infinity, or its name repeats within its group.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { decodeCheckpoint, encodeCheckpoint } from 'tfjs-gan';
 * const kernel = tf.ones([2, 3]);
 * const { manifest, weightData } = await encodeCheckpoint({
 *   step: 10, config: { latentDim: 2 }, random: null,
 *   groups: { generator: [{ name: 'dense/kernel', tensor: kernel }] },
 * });
 * const restored = decodeCheckpoint(manifest, weightData); // 24 bytes, one [2,3] tensor
 * tf.dispose([kernel, restored.groups.generator[0].tensor]);
 * ```
 * @category IO
 */
export function encodeCheckpoint(data: CheckpointContents): Promise<CheckpointArtifacts> {
  return encode('encodeCheckpoint', data);
}

/**
 * Decodes a checkpoint after verifying all of it: format and version, step and config, each
 * weight's shape against its byte count, offsets that follow one another inside the data with
 * no overlap or gap, the total length, names unique per group, and finite values.
 *
 * @param manifest - the parsed manifest (as read, unverified).
 * @param weightData - the weight data; copied, so later changes to it do not reach the
 *   tensors.
 * @returns the checkpoint with new tensors, which the caller disposes.
 * @throws FormatError naming the first thing that is wrong, e.g.
 *   `decodeCheckpoint: weight 'discriminator/dense_1/kernel' needs 25088 bytes for shape
 *   [6272,1] (float32), got 100.`
 * @example
 * ```ts
 * import { decodeCheckpoint, encodeCheckpoint } from 'tfjs-gan';
 * const empty = { step: 0, config: {}, random: null, groups: {} };
 * const { manifest, weightData } = await encodeCheckpoint(empty);
 * const { step } = decodeCheckpoint(manifest, weightData); // 0
 * ```
 * @category IO
 */
export function decodeCheckpoint(manifest: unknown, weightData: ArrayBuffer): CheckpointData {
  return decode('decodeCheckpoint', 'checkpoint', manifest, weightData);
}

/**
 * Encodes a checkpoint and saves it to a store; the store keeps the previous checkpoint
 * until the new one is complete.
 *
 * @param store - e.g. `tfjsIOStore('indexeddb://run-1')` or, in Node,
 *   `checkpointDirectory('runs/1')` from `tfjs-gan/node`.
 * @param data - see {@link encodeCheckpoint}; not disposed.
 * @returns when the store has the checkpoint.
 * @throws as {@link encodeCheckpoint} (nothing is written then), or the store's error.
 * @example
 * ```ts
 * import { loadCheckpoint, saveCheckpoint, tfjsIOStore } from 'tfjs-gan';
 * const store = tfjsIOStore('indexeddb://my-gan'); // in a browser
 * await saveCheckpoint(store, { step: 100, config: {}, random: null, groups: {} });
 * const checkpoint = await loadCheckpoint(store);
 * ```
 * @category IO
 */
export async function saveCheckpoint(
  store: CheckpointStore,
  data: CheckpointContents,
): Promise<void> {
  checkStore('saveCheckpoint', store);
  await store.save(await encode('saveCheckpoint', data));
}

/**
 * Loads the latest checkpoint from a store and decodes it after the checks of
 * {@link decodeCheckpoint}.
 *
 * @param store - where the checkpoint was saved.
 * @returns the checkpoint with new tensors, which the caller disposes.
 * @throws FormatError (with `source` set to the store's location) when the checkpoint is
 *   corrupt, or the store's error when it cannot be read.
 * @example
 * ```ts
 * import { loadCheckpoint, tfjsIOStore } from 'tfjs-gan';
 * const { step, groups } = await loadCheckpoint(tfjsIOStore('indexeddb://my-gan'));
 * ```
 * @category IO
 */
export async function loadCheckpoint(store: CheckpointStore): Promise<CheckpointData> {
  checkStore('loadCheckpoint', store);
  const { manifest, weightData } = await store.load();
  return decode('loadCheckpoint', store.location, manifest, weightData);
}

function checkStore(where: string, store: unknown): void {
  const ok =
    typeof store === 'object' &&
    store !== null &&
    typeof (store as CheckpointStore).save === 'function' &&
    typeof (store as CheckpointStore).load === 'function';
  if (!ok) {
    throw new TypeError(
      `${where}: store must be a CheckpointStore with save and load, got ${describeValue(store)}.`,
    );
  }
}
