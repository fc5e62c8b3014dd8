import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

import { describeValue, FormatError } from '../errors';
import { writeFileAtomic } from './atomic';
import { describeFsError } from './fs-errors';
import { readWeightFiles } from './weight-files';

/** The standard TensorFlow.js file names, as `tfjs-node`'s `file://` handler writes them. */
const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/** Optional `model.json` fields copied through unchanged when present. */
const OPTIONAL_FIELDS = [
  'trainingConfig',
  'userDefinedMetadata',
  'signature',
  'modelInitializer',
  'initializerSignature',
] as const;

/**
 * A TensorFlow.js IO handler that saves a model to a folder and loads it back, in the standard
 * format (`model.json` + `weights.bin`), with plain `@tensorflow/tfjs` on any backend — no
 * `@tensorflow/tfjs-node` needed.
 *
 * @param dir - the folder, created on save if missing; absolute or relative to the working
 *   folder.
 * @returns an `IOHandler` with `save` and `load`, for `model.save(…)` and
 *   `tf.loadLayersModel(…)`.
 * @throws TypeError if `dir` is not a non-empty string.
 * @remarks
 * `model.save('file://…')` and `tf.loadLayersModel('file://…')` work only when
 * `@tensorflow/tfjs-node` is installed, because that package registers the `file://` scheme;
 * with plain `@tensorflow/tfjs`, saving fails with "Cannot find any save handlers for URL" and
 * loading fails with "fetch failed" (Node's `fetch` cannot read `file:` URLs). Pass
 * `fileSystem(dir)` to both instead: the files are the same format, so a model saved either
 * way loads the other way.
 *
 * Each file is written to a temporary file in `dir`, flushed, and renamed into place, so a crash
 * never leaves a partial `model.json` or `weights.bin`. The two renames happen one after the
 * other (weights first): a crash between them pairs the new weights with the previous
 * `model.json`; save to a fresh folder per snapshot if that matters.
 *
 * On load, weight paths that leave `dir` (absolute, or through `..`) are refused, and each
 * weight group's byte count is checked against its specs before anything is decoded.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { fileSystem } from 'tfjs-gan/node';
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * await model.save(fileSystem('out/tiny'));   // out/tiny/model.json + out/tiny/weights.bin
 * const restored = await tf.loadLayersModel(fileSystem('out/tiny'));
 * ```
 * @category Node
 */
export function fileSystem(dir: string): tf.io.IOHandler {
  if (typeof dir !== 'string' || dir === '') {
    throw new TypeError(`fileSystem: dir must be a non-empty string, got ${describeValue(dir)}.`);
  }
  return {
    save: (artifacts) => saveModel(dir, artifacts),
    load: () => loadModel(dir),
  };
}

async function saveModel(dir: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new TypeError(
      'fileSystem: modelTopology must be a JSON object, got an ArrayBuffer (a binary graph ' +
        'topology); only JSON topologies are supported.',
    );
  }
  const weights =
    artifacts.weightData == null
      ? new ArrayBuffer(0)
      : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const modelJSON: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology ?? {},
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  };
  for (const field of OPTIONAL_FIELDS) {
    if (artifacts[field] != null) Object.assign(modelJSON, { [field]: artifacts[field] });
  }
  // Weights first: a model.json is only ever in place after the weights it describes.
  await writeFileAtomic(join(dir, WEIGHTS_FILE), new Uint8Array(weights));
  const text = new TextEncoder().encode(JSON.stringify(modelJSON));
  await writeFileAtomic(join(dir, MODEL_FILE), text);
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

async function loadModel(dir: string): Promise<tf.io.ModelArtifacts> {
  const jsonPath = join(dir, MODEL_FILE);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (cause) {
    const reason = describeFsError(cause);
    throw new Error(`fileSystem: cannot read ${describeValue(jsonPath)}: ${reason}.`, { cause });
  }
  let modelJSON: tf.io.ModelJSON;
  try {
    modelJSON = JSON.parse(text);
  } catch (cause) {
    const message = `fileSystem: ${describeValue(jsonPath)} is not valid JSON.`;
    const error = new FormatError(jsonPath, message);
    error.cause = cause;
    throw error;
  }
  const topology = (modelJSON as Partial<tf.io.ModelJSON> | null)?.modelTopology;
  if (typeof topology !== 'object' || topology === null) {
    throw new FormatError(
      jsonPath,
      `fileSystem: ${describeValue(jsonPath)} has no modelTopology object; it is not a ` +
        'TensorFlow.js model.json.',
    );
  }
  return tf.io.getModelArtifactsForJSON(modelJSON, (manifest) =>
    readWeightFiles(dir, manifest, jsonPath),
  );
}
