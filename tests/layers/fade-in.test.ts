import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FadeIn, fadeIn } from '../../src/layers/fade-in';
import { registeredLayerNames } from '../../src/layers/register';
import { fileSystem } from '../../src/node/model-io';
import { expectNoLeaks } from '../helpers/leaks';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tfjs-gan-fade-in-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `[old, new] → FadeIn` as a model over two `[2]` inputs. */
function fadeModel(): { model: tf.LayersModel; layer: FadeIn } {
  const old = tf.input({ shape: [2] });
  const grown = tf.input({ shape: [2] });
  const layer = fadeIn();
  const y = layer.apply([old, grown]) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: [old, grown], outputs: y }), layer };
}

describe('FadeIn', () => {
  it('returns old at alpha 0, new at alpha 1 and (1 - alpha)·old + alpha·new between', async () => {
    const { model, layer } = fadeModel();
    const old = tf.tensor2d([[1, -2]]);
    const grown = tf.tensor2d([[5, 6]]);
    const at = async (alpha: number) => {
      layer.alpha = alpha;
      const y = model.predict([old, grown]) as tf.Tensor;
      const values = Array.from(await y.data());
      y.dispose();
      return values;
    };
    // A new layer starts at alpha 0: the output is old exactly.
    expect(await at(0)).toEqual([1, -2]);
    expect(await at(1)).toEqual([5, 6]);
    // alpha 0.25: 0.75·1 + 0.25·5 = 2; 0.75·(-2) + 0.25·6 = 0 (all exact in float32).
    expect(await at(0.25)).toEqual([2, 0]);
    expect(layer.alpha).toBe(0.25);
    tf.dispose([old, grown]);
    model.dispose();
  });

  it('keeps an alpha set before it is built', () => {
    const layer = new FadeIn();
    layer.alpha = 0.5;
    // 0.5·2 + 0.5·4 = 3
    const y = layer.apply([tf.fill([1, 1], 2), tf.fill([1, 1], 4)]) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([3]);
    expect(layer.alpha).toBe(0.5);
    tf.dispose(y);
  });

  it('holds alpha as one non-trainable scalar weight', () => {
    const { model, layer } = fadeModel();
    expect(layer.trainableWeights).toEqual([]);
    expect(layer.nonTrainableWeights.map((w) => w.shape)).toEqual([[]]);
    expect(layer.nonTrainableWeights[0].name).toMatch(/alpha/);
    model.dispose();
  });

  it('rejects alpha outside [0, 1], two inputs of different shapes and one input', () => {
    const layer = new FadeIn();
    expect(() => (layer.alpha = 1.5)).toThrow('FadeIn: alpha must be in [0, 1], got 1.5.');
    expect(() => (layer.alpha = Number.NaN)).toThrow(
      'FadeIn: alpha must be a finite number, got NaN.',
    );
    const a = tf.input({ shape: [2] });
    const b = tf.input({ shape: [3] });
    expect(() => layer.apply([a, b])).toThrow(
      'FadeIn: old and new must have the same shape, got [?,2] and [?,3].',
    );
    expect(() => layer.apply(a)).toThrow(
      'FadeIn: input must be a list of two tensors [old, new], got 1 input(s).',
    );
    expect(() => new FadeIn({ alpha: 1 } as never)).toThrow(
      "FadeIn: option 'alpha' is not supported; the supported options are 'name', " +
        "'trainable', 'inputShape', 'batchInputShape', 'batchSize', 'dtype', 'weights', " +
        "'inputDType'.",
    );
  });

  it('leaks no tensors when applied or when alpha is set', async () => {
    const { model, layer } = fadeModel();
    const x = [tf.ones([3, 2]), tf.zeros([3, 2])];
    await expectNoLeaks(() => {
      layer.alpha = 0.75;
      tf.dispose(model.predict(x) as tf.Tensor);
    });
    tf.dispose(x);
    model.dispose();
  });

  it('is registered and saves and loads with its alpha', async () => {
    expect(registeredLayerNames()).toContain('FadeIn');
    const { model, layer } = fadeModel();
    layer.alpha = 0.375;
    const dir = join(root, 'fade');
    await model.save(fileSystem(dir));
    const loaded = await tf.loadLayersModel(fileSystem(dir));
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    const restored = loaded.layers.find((l) => l instanceof FadeIn) as FadeIn;
    // 0.375 = 3/8 is exact in float32.
    expect(restored.alpha).toBe(0.375);
    const x = [tf.tensor2d([[8, 0]]), tf.tensor2d([[0, 8]])];
    const y = loaded.predict(x) as tf.Tensor;
    // 0.625·8 = 5 and 0.375·8 = 3.
    expect(Array.from(await y.data())).toEqual([5, 3]);
    tf.dispose([...x, y]);
    model.dispose();
    loaded.dispose();
  });
});
