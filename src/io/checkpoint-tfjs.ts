/**
 * Checkpoints through TensorFlow.js IO handlers: the manifest rides in `modelTopology`, the
 * weight data and specs ride where a model's weights do, so any handler that keeps a model's
 * JSON topology keeps a checkpoint.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { describeValue, FormatError } from '../errors';
import type { CheckpointArtifacts, CheckpointStore } from './checkpoint';
import { CHECKPOINT_FORMAT, verifyManifest } from './checkpoint-manifest';

/** `generatedBy` of every checkpoint's artifacts. */
const GENERATED_BY = 'tfjs-gan';

/**
 * The model artifacts that carry a checkpoint: manifest as `modelTopology`, one weight spec
 * per tensor named `group/name`, and the weight data.
 *
 * @internal
 */
export function checkpointToModelArtifacts(artifacts: CheckpointArtifacts): tf.io.ModelArtifacts {
  const { manifest, weightData } = artifacts;
  return {
    modelTopology: manifest as unknown as object,
    format: CHECKPOINT_FORMAT,
    generatedBy: GENERATED_BY,
    convertedBy: null,
    weightSpecs: manifest.weights.map(({ group, name, shape, dtype }) => ({
      name: `${group}/${name}`,
      shape,
      dtype,
    })),
    weightData,
  };
}

/**
 * The checkpoint carried by model artifacts, unverified (see `loadCheckpoint`).
 *
 * @throws FormatError when there is no JSON `modelTopology` to hold a manifest.
 * @internal
 */
export function modelArtifactsToCheckpoint(
  where: string,
  source: string,
  artifacts: tf.io.ModelArtifacts,
  label = describeValue(source),
): CheckpointArtifacts {
  const manifest = artifacts?.modelTopology;
  if (typeof manifest !== 'object' || manifest === null || manifest instanceof ArrayBuffer) {
    throw new FormatError(
      source,
      `${where}: ${label} holds no checkpoint manifest (its modelTopology is ` +
        `${describeValue(manifest)}); it is not a tfjs-gan checkpoint.`,
    );
  }
  const weightData =
    artifacts.weightData == null
      ? new ArrayBuffer(0)
      : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  return { manifest: manifest as CheckpointArtifacts['manifest'], weightData };
}

/**
 * A {@link CheckpointStore} over TensorFlow.js IO handlers, so checkpoints go wherever
 * models go: `'indexeddb://name'`, `'localstorage://name'`, `'downloads://name'`, an
 * `http(s)://` URL, or any `tf.io.IOHandler`.
 *
 * @param handlerOrUrl - a URL whose scheme TensorFlow.js has a handler for, resolved on each
 *   save and load, or an `IOHandler` (with `save` to save, `load` to load).
 * @returns the store; pass it to `saveCheckpoint` and `loadCheckpoint`.
 * @throws TypeError when `handlerOrUrl` is neither a non-empty string nor an object.
 * @remarks
 * The manifest is stored as the artifacts' `modelTopology`, each tensor as a weight spec
 * named `group/name`, and the bytes as the weight data, so every handler that keeps a
 * model keeps a checkpoint, and a checkpoint saved with `'downloads://ckpt'` (files
 * `ckpt.json` and `ckpt.weights.bin`) loads back with `tf.io.browserFiles`.
 *
 * Atomicity is the handler's: IndexedDB writes the whole checkpoint in one `put` inside a
 * transaction, so a tab closed mid-save leaves the previous checkpoint whole. localStorage
 * holds about 5 MB, and when a save does not fit, TensorFlow.js removes all of the name's
 * keys, so the previous checkpoint is lost too. Downloads are two files the user keeps or
 * not. Prefer IndexedDB in a browser.
 *
 * Saving rejects with the save handler's error, or with an `Error` listing the handler's
 * reported errors; a URL with no handler in this environment (IndexedDB in Node, say)
 * rejects with an `Error` naming the URL.
 * @example
 * ```ts
 * import { loadCheckpoint, saveCheckpoint, tfjsIOStore } from 'tfjs-gan';
 * const store = tfjsIOStore('indexeddb://my-gan');
 * await saveCheckpoint(store, { step: 100, config: {}, random: null, groups: {} });
 * const { step } = await loadCheckpoint(store); // 100
 * ```
 * @category IO
 */
export function tfjsIOStore(handlerOrUrl: tf.io.IOHandler | string): CheckpointStore {
  const isUrl = typeof handlerOrUrl === 'string' && handlerOrUrl !== '';
  if (!isUrl && (typeof handlerOrUrl !== 'object' || handlerOrUrl === null)) {
    throw new TypeError(
      'tfjsIOStore: handlerOrUrl must be a tf.io.IOHandler or a non-empty URL string, got ' +
        `${describeValue(handlerOrUrl)}.`,
    );
  }
  const location = isUrl ? (handlerOrUrl as string) : 'tf.io.IOHandler';
  const source = isUrl ? describeValue(handlerOrUrl) : 'the IO handler';
  const handler = (kind: 'save' | 'load'): tf.io.IOHandler => {
    if (!isUrl) {
      const h = handlerOrUrl as tf.io.IOHandler;
      if (typeof h[kind] !== 'function') {
        throw new TypeError(`tfjsIOStore: the IO handler has no ${kind} method.`);
      }
      return h;
    }
    const found =
      kind === 'save'
        ? tf.io.getSaveHandlers(handlerOrUrl as string)
        : tf.io.getLoadHandlers(handlerOrUrl as string);
    if (found.length === 0) {
      throw new Error(
        `tfjsIOStore: TensorFlow.js has no handler that can ${kind} ${source} in this ` +
          'environment.',
      );
    }
    return found[0];
  };
  return {
    location,
    async save(artifacts) {
      const { manifest, weightData } = artifacts;
      verifyManifest('tfjsIOStore.save', location, manifest, weightData.byteLength);
      const result = await handler('save').save!(checkpointToModelArtifacts(artifacts));
      if (result?.errors?.length) {
        throw new Error(
          `tfjsIOStore: saving to ${source} failed: ${result.errors.map(String).join('; ')}.`,
        );
      }
    },
    async load() {
      const artifacts = await handler('load').load!();
      return modelArtifactsToCheckpoint('tfjsIOStore', location, artifacts, source);
    },
  };
}
