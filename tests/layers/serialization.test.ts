import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import '../../src/layers/fade-in';
import { classEmbedding } from '../../src/layers/class-embedding';
import { classProjection } from '../../src/layers/class-projection';
import { instanceNormalization } from '../../src/layers/instance-normalization';
import { minibatchDiscrimination } from '../../src/layers/minibatch-discrimination';
import { minibatchStdDev } from '../../src/layers/minibatch-stddev';
import { packSamples, repeatPacks } from '../../src/layers/packing';
import { pixelNormalization } from '../../src/layers/pixel-normalization';
import { pixelShuffle } from '../../src/layers/pixel-shuffle';
import { registeredLayerNames } from '../../src/layers/register';
import { spectralNormalization } from '../../src/layers/spectral-normalization';
import { fileSystem } from '../../src/node/model-io';
import { everyLayerInput, everyLayerModel } from './fixtures/every-layer';

let root: string;
let count = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tfjs-gan-layers-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Saves `model`, loads it back, and checks configs and inference outputs are identical. */
async function roundTrip(model: tf.LayersModel, x: tf.Tensor): Promise<tf.LayersModel> {
  const dir = join(root, `model-${count++}`);
  await model.save(fileSystem(dir));
  const loaded = await tf.loadLayersModel(fileSystem(dir));
  expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
  const before = model.predict(x) as tf.Tensor;
  const after = loaded.predict(x) as tf.Tensor;
  // Same weights (u included), same cpu kernels, inference mode: bit-identical outputs.
  expect(Array.from(await after.data())).toEqual(Array.from(await before.data()));
  tf.dispose([before, after]);
  return loaded;
}

/** input → layer, with one training call first so stateful weights (u) move off their init. */
async function singleLayerCase(
  layer: tf.layers.Layer,
  shape: number[],
): Promise<[tf.LayersModel, tf.Tensor]> {
  const input = tf.input({ shape: shape.slice(1) });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  const x = tf.randomNormal(shape, 0, 1, 'float32', 11);
  tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
  return [model, x];
}

describe('layer serialisation', () => {
  it.each([
    ['MinibatchStdDev', () => minibatchStdDev({ groupSize: 2 }), [4, 3, 3, 2]],
    [
      'MinibatchDiscrimination',
      () => minibatchDiscrimination({ numKernels: 3, kernelDim: 2 }),
      [4, 5],
    ],
    ['InstanceNormalization', () => instanceNormalization({ center: false }), [2, 4, 4, 3]],
    ['PixelNormalization', () => pixelNormalization({ epsilon: 1e-6 }), [2, 4, 4, 3]],
    ['PixelShuffle', () => pixelShuffle({ factor: 2 }), [2, 3, 3, 8]],
    ['PackSamples', () => packSamples({ size: 2 }), [4, 3]],
    ['RepeatPacks', () => repeatPacks({ size: 3 }), [2, 1]],
    [
      'SpectralNormalization (Dense)',
      () => spectralNormalization({ layer: tf.layers.dense({ units: 3, activation: 'tanh' }) }),
      [2, 5],
    ],
    [
      'SpectralNormalization (Conv2D)',
      () => spectralNormalization({ layer: tf.layers.conv2d({ filters: 2, kernelSize: 3 }) }),
      [2, 5, 5, 3],
    ],
    [
      'SpectralNormalization (Conv2DTranspose)',
      () =>
        spectralNormalization({
          layer: tf.layers.conv2dTranspose({
            filters: 2,
            kernelSize: 3,
            strides: 2,
            padding: 'same',
          }),
          powerIterations: 2,
        }),
      [2, 3, 3, 4],
    ],
  ] as const)('%s saves and loads with the same config and outputs', async (_, make, shape) => {
    const [model, x] = await singleLayerCase(make(), [...shape]);
    const loaded = await roundTrip(model, x);
    // Stateful weights come back too (u of spectral normalisation after its training call).
    const weights = model.getWeights();
    const restored = loaded.getWeights();
    for (let i = 0; i < weights.length; i++) {
      expect(Array.from(await restored[i].data())).toEqual(Array.from(await weights[i].data()));
    }
    tf.dispose(x);
    model.dispose();
    loaded.dispose();
  });

  it('registers every custom layer class', () => {
    // The imports of classEmbedding and classProjection register them too.
    expect([classEmbedding, classProjection]).toHaveLength(2);
    expect(registeredLayerNames().sort()).toEqual([
      'ClassEmbedding',
      'ClassProjection',
      'FadeIn',
      'InstanceNormalization',
      'MinibatchDiscrimination',
      'MinibatchStdDev',
      'PackSamples',
      'PixelNormalization',
      'PixelShuffle',
      'RepeatPacks',
      'SpectralNormalization',
    ]);
  });

  it('round-trips a model with every custom layer, also in a fresh process', async () => {
    const model = everyLayerModel();
    const x = everyLayerInput();
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor); // one power-iteration step
    const loaded = await roundTrip(model, x);
    const dir = join(root, 'every-layer');
    await model.save(fileSystem(dir));
    const input = { shape: x.shape, values: Array.from(await x.data()) };
    await writeFile(join(dir, 'input.json'), JSON.stringify(input));

    const script = fileURLToPath(new URL('./fixtures/load-and-predict.mts', import.meta.url));
    const args = ['--import', 'tsx', script, dir];
    const { stdout } = await promisify(execFile)(process.execPath, args);
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    const result = JSON.parse(line!.slice('RESULT '.length));
    const expected = model.predict(x) as tf.Tensor;
    // float32 values survive JSON exactly (a double prints enough digits to round-trip).
    expect(result.outputs).toEqual(Array.from(await expected.data()));
    expect(result.configs).toEqual(model.layers.map((l) => l.getConfig()));
    tf.dispose([x, expected]);
    model.dispose();
    loaded.dispose();
  });
});
