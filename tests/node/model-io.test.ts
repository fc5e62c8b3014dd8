import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FormatError } from '../../src/errors';
import { fileSystem } from '../../src/node/model-io';
import { expectRejects, expectThrows } from '../helpers/fixtures/throws';

let root: string;
let count = 0;
const freshDir = () => join(root, `model-${count++}`);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tfjs-gan-model-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Dense 3 → 4 (relu) → 2: kernels 3·4 and 4·2, biases 4 and 2. */
function smallModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu', biasInitializer: 'ones' }),
      tf.layers.dense({ units: 2 }),
    ],
  });
}
// (3·4 + 4 + 4·2 + 2) float32 values = 26 · 4 bytes = 104 bytes in weights.bin.
const WEIGHT_BYTES = 104;

async function savedModel(): Promise<{ dir: string; model: tf.LayersModel }> {
  const dir = freshDir();
  const model = smallModel();
  await model.save(fileSystem(dir));
  return { dir, model };
}

describe('fileSystem', () => {
  it('round-trips a model: same predictions after save and load', async () => {
    const { dir, model } = await savedModel();
    const loaded = await tf.loadLayersModel(fileSystem(dir));
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, 0, 0.5],
    ]);
    const before = model.predict(x) as tf.Tensor;
    const after = loaded.predict(x) as tf.Tensor;
    // Same weights, same cpu kernels: bit-identical outputs.
    expect(await after.data()).toEqual(await before.data());
    tf.dispose([x, before, after]);
    model.dispose();
    loaded.dispose();
  });

  it('writes the standard model.json and weights.bin and nothing else', async () => {
    const { dir, model } = await savedModel();
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toMatch(/^TensorFlow\.js tfjs-layers v/);
    expect(json.convertedBy).toBeNull();
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    // Two kernels and two biases.
    const shapes = json.weightsManifest[0].weights.map((w: tf.io.WeightsManifestEntry) => w.shape);
    expect(shapes).toEqual([[3, 4], [4], [4, 2], [2]]);
    expect((await readFile(join(dir, 'weights.bin'))).length).toBe(WEIGHT_BYTES);
    model.dispose();
  });

  it('keeps user-defined metadata and overwrites an earlier save in place', async () => {
    const dir = freshDir();
    const model = smallModel();
    await model.save(fileSystem(dir));
    model.setUserDefinedMetadata({ step: 1200 });
    await model.save(fileSystem(dir));
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await tf.loadLayersModel(fileSystem(dir));
    expect(loaded.getUserDefinedMetadata()).toEqual({ step: 1200 });
    model.dispose();
    loaded.dispose();
  });

  it('joins weight data given as several buffers', async () => {
    const dir = freshDir();
    const handler = fileSystem(dir);
    await handler.save!({
      modelTopology: { anything: true },
      weightSpecs: [{ name: 'w', shape: [3], dtype: 'float32' }],
      weightData: [new Float32Array([1, 2]).buffer, new Float32Array([3]).buffer],
    });
    const artifacts = await handler.load!();
    expect(artifacts.modelTopology).toEqual({ anything: true });
    expect(Array.from(new Float32Array(artifacts.weightData as ArrayBuffer))).toEqual([1, 2, 3]);
  });

  it('rejects a weights.bin of the wrong length with the exact message', async () => {
    const { dir, model } = await savedModel();
    await truncate(join(dir, 'weights.bin'), 100);
    // 104 bytes are described (see WEIGHT_BYTES), 100 are left.
    await expectRejects(
      tf.loadLayersModel(fileSystem(dir)),
      FormatError,
      `fileSystem: '${resolve(dir, 'weights.bin')}' holds 100 bytes, but ` +
        `'${join(dir, 'model.json')}' describes 104 bytes of weights (4 tensors); the files ` +
        'are corrupt or do not belong together.',
    );
    model.dispose();
  });

  it('refuses weight paths that leave the folder', async () => {
    const { dir, model } = await savedModel();
    const jsonPath = join(dir, 'model.json');
    const json = JSON.parse(await readFile(jsonPath, 'utf8'));
    for (const path of ['../secret.bin', '/etc/passwd']) {
      json.weightsManifest[0].paths = [path];
      await writeFile(jsonPath, JSON.stringify(json));
      await expectRejects(
        tf.loadLayersModel(fileSystem(dir)),
        FormatError,
        `fileSystem: '${jsonPath}' lists the weight path '${path}', which points outside ` +
          `'${dir}'; refusing to read it.`,
      );
    }
    model.dispose();
  });

  it('names the missing file', async () => {
    const empty = freshDir();
    await mkdir(empty);
    await expectRejects(
      tf.loadLayersModel(fileSystem(empty)),
      Error,
      `fileSystem: cannot read '${join(empty, 'model.json')}': no such file.`,
    );
    const { dir, model } = await savedModel();
    await rm(join(dir, 'weights.bin'));
    await expectRejects(
      tf.loadLayersModel(fileSystem(dir)),
      Error,
      `fileSystem: cannot read the weight file '${resolve(dir, 'weights.bin')}' listed in ` +
        `'${join(dir, 'model.json')}': no such file.`,
    );
    model.dispose();
  });

  it('rejects a model.json that is not JSON or has no topology', async () => {
    const dir = freshDir();
    await mkdir(dir);
    const jsonPath = join(dir, 'model.json');
    await writeFile(jsonPath, '{"modelTopology": ');
    await expectRejects(
      tf.loadLayersModel(fileSystem(dir)),
      FormatError,
      `fileSystem: '${jsonPath}' is not valid JSON.`,
    );
    await writeFile(jsonPath, '{"weightsManifest": []}');
    await expectRejects(
      tf.loadLayersModel(fileSystem(dir)),
      FormatError,
      `fileSystem: '${jsonPath}' has no modelTopology object; it is not a TensorFlow.js ` +
        'model.json.',
    );
  });

  it('leaves no temporary file behind when a write fails', async () => {
    const dir = freshDir();
    // A folder named model.json makes the final rename fail (EISDIR) after weights.bin is in.
    await mkdir(join(dir, 'model.json'), { recursive: true });
    const model = smallModel();
    await expect(model.save(fileSystem(dir))).rejects.toMatchObject({ code: 'EISDIR' });
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    model.dispose();
  });

  it('keeps the previous model.json when the weights cannot be written', async () => {
    const { dir, model } = await savedModel();
    const jsonPath = join(dir, 'model.json');
    const previous = await readFile(jsonPath, 'utf8');
    // Replace weights.bin by a non-empty folder: renaming the new weights onto it fails.
    await rm(join(dir, 'weights.bin'));
    await mkdir(join(dir, 'weights.bin', 'blocker'), { recursive: true });
    model.setUserDefinedMetadata({ newer: true });
    await expect(model.save(fileSystem(dir))).rejects.toMatchObject({ code: 'EISDIR' });
    // Weights are written first, so model.json was never touched.
    expect(await readFile(jsonPath, 'utf8')).toBe(previous);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    model.dispose();
  });

  it('leaks no tensors beyond the loaded model’s own weights', async () => {
    const { dir, model } = await savedModel();
    const before = tf.memory().numTensors;
    const loaded = await tf.loadLayersModel(fileSystem(dir));
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects a folder that is not a string', () => {
    expectThrows(
      () => fileSystem('' as string),
      TypeError,
      "fileSystem: dir must be a non-empty string, got ''.",
    );
  });
});
