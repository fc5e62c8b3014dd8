import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { FormatError } from '../../src/errors';
import {
  encodeCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  type CheckpointContents,
  type NamedTensor,
} from '../../src/io/checkpoint';
import { tfjsIOStore } from '../../src/io/checkpoint-tfjs';
import { expectRejects, expectThrows } from '../helpers/fixtures/throws';

/** generator/w [2,2] float32 (16 bytes at 0), generatorOptimizer/iter int32 (4 bytes at 16). */
function contents(): CheckpointContents {
  return {
    step: 3,
    config: { latentDim: 4 },
    random: 'state',
    groups: {
      generator: [{ name: 'w', tensor: tf.tensor2d([1, -2, 3.5, 0.25], [2, 2]) }],
      generatorOptimizer: [{ name: 'iter', tensor: tf.scalar(3, 'int32') }],
    },
  };
}

function dispose(groups: Record<string, NamedTensor[]>): void {
  for (const list of Object.values(groups)) for (const { tensor } of list) tensor.dispose();
}

/** Saves through `save` handlers and returns the artifacts the handler received. */
async function savedArtifacts(): Promise<tf.io.ModelArtifacts> {
  let kept: tf.io.ModelArtifacts | undefined;
  const data = contents();
  await saveCheckpoint(
    tfjsIOStore(
      tf.io.withSaveHandler(async (artifacts) => {
        kept = artifacts;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    ),
    data,
  );
  dispose(data.groups);
  return kept!;
}

async function expectContents(handler: tf.io.IOHandler): Promise<void> {
  const loaded = await loadCheckpoint(tfjsIOStore(handler));
  expect(loaded.step).toBe(3);
  expect(loaded.config).toEqual({ latentDim: 4 });
  expect(loaded.random).toBe('state');
  expect(Array.from(await loaded.groups.generator[0].tensor.data())).toEqual([1, -2, 3.5, 0.25]);
  expect(loaded.groups.generatorOptimizer[0].tensor.dtype).toBe('int32');
  expect(Array.from(await loaded.groups.generatorOptimizer[0].tensor.data())).toEqual([3]);
  dispose(loaded.groups);
}

describe('tfjsIOStore', () => {
  it('hands a handler the manifest as modelTopology and one weight spec per tensor', async () => {
    const artifacts = await savedArtifacts();
    expect(artifacts.format).toBe('tfjs-gan-checkpoint');
    expect(artifacts.generatedBy).toBe('tfjs-gan');
    expect((artifacts.modelTopology as { step: number }).step).toBe(3);
    expect(artifacts.weightSpecs).toEqual([
      { name: 'generator/w', shape: [2, 2], dtype: 'float32' },
      { name: 'generatorOptimizer/iter', shape: [], dtype: 'int32' },
    ]);
    // 4 float32 + 1 int32 values, 4 bytes each.
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(20);
    // The weight specs alone decode the data, as for any TensorFlow.js model.
    const named = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
    expect(Array.from(await named['generator/w'].data())).toEqual([1, -2, 3.5, 0.25]);
    tf.dispose(Object.values(named));
  });

  it('round-trips through tf.io.fromMemory', async () => {
    const artifacts = await savedArtifacts();
    await expectContents(tf.io.fromMemory(artifacts));
  });

  it('round-trips through the structured clone IndexedDB stores records with', async () => {
    // A fake of the IndexedDB handler: it keeps a structured clone of the artifacts (as
    // IDBObjectStore.put does) with the weight data joined into one buffer.
    let record: tf.io.ModelArtifacts | undefined;
    const indexedDbLike: tf.io.IOHandler = {
      async save(artifacts) {
        const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
        record = structuredClone({ ...artifacts, weightData });
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      },
      async load() {
        return structuredClone(record!);
      },
    };
    const data = contents();
    await saveCheckpoint(tfjsIOStore(indexedDbLike), data);
    dispose(data.groups);
    await expectContents(indexedDbLike);
  });

  it('round-trips through a model.json, as downloads, browserFiles and http carry it', async () => {
    const artifacts = await savedArtifacts();
    // What browserDownloads writes (model.json text + one weights file) and what
    // browserFiles / http rebuild from them.
    const modelJson = JSON.parse(
      JSON.stringify({
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        weightsManifest: [{ paths: ['./ckpt.weights.bin'], weights: artifacts.weightSpecs }],
      }),
    );
    const weightFile = (artifacts.weightData as ArrayBuffer).slice(0);
    const rebuilt = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [
      manifest[0].weights,
      weightFile,
    ]);
    await expectContents(tf.io.fromMemory(rebuilt));
  });

  it('rejects a URL no handler serves in this environment', async () => {
    // IndexedDB exists only in browsers, so Node has no handler for indexeddb:// URLs.
    const data = contents();
    await expectRejects(
      saveCheckpoint(tfjsIOStore('indexeddb://gan'), data),
      Error,
      "tfjsIOStore: TensorFlow.js has no handler that can save 'indexeddb://gan' in this " +
        'environment.',
    );
    await expectRejects(
      loadCheckpoint(tfjsIOStore('indexeddb://gan')),
      Error,
      "tfjsIOStore: TensorFlow.js has no handler that can load 'indexeddb://gan' in this " +
        'environment.',
    );
    dispose(data.groups);
  });

  it('reports errors a save handler returns', async () => {
    const failing = tf.io.withSaveHandler(async () => ({
      modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' },
      errors: ['quota exceeded'],
    }));
    const data = contents();
    await expectRejects(
      saveCheckpoint(tfjsIOStore(failing), data),
      Error,
      'tfjsIOStore: saving to the IO handler failed: quota exceeded.',
    );
    dispose(data.groups);
  });

  it('refuses to save artifacts whose manifest does not match the data', async () => {
    const data = contents();
    const { manifest, weightData } = await encodeCheckpoint(data);
    let saved = false;
    const store = tfjsIOStore(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = true;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    // 20 bytes described, 16 given.
    const error = await expectRejects(
      store.save({ manifest, weightData: weightData.slice(0, 16) }),
      FormatError,
      'tfjsIOStore.save: the manifest describes 20 bytes of weight data, got 16.',
    );
    expect(saved).toBe(false);
    expect((error as FormatError).source).toBe('tf.io.IOHandler');
    dispose(data.groups);
  });

  it('rejects artifacts that hold no manifest or a corrupt one', async () => {
    const model = tf.io.fromMemory({
      modelTopology: null,
      weightSpecs: [],
      weightData: new ArrayBuffer(0),
    });
    await expectRejects(
      loadCheckpoint(tfjsIOStore(model)),
      FormatError,
      'tfjsIOStore: the IO handler holds no checkpoint manifest (its modelTopology is null); ' +
        'it is not a tfjs-gan checkpoint.',
    );
    const artifacts = await savedArtifacts();
    const weightData = (artifacts.weightData as ArrayBuffer).slice(0, 12);
    const truncated = { ...artifacts, weightData };
    await expectRejects(
      loadCheckpoint(tfjsIOStore(tf.io.fromMemory(truncated))),
      FormatError,
      'loadCheckpoint: the manifest describes 20 bytes of weight data, got 12.',
    );
  });

  it('checks its argument and the handler methods it needs', async () => {
    expectThrows(
      () => tfjsIOStore('' as string),
      TypeError,
      "tfjsIOStore: handlerOrUrl must be a tf.io.IOHandler or a non-empty URL string, got ''.",
    );
    const data = contents();
    await expectRejects(
      saveCheckpoint(tfjsIOStore({ load: async () => ({}) }), data),
      TypeError,
      'tfjsIOStore: the IO handler has no save method.',
    );
    dispose(data.groups);
  });
});
