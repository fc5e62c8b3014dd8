import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { ClassProjection, classProjection } from '../../src';
import { expectNoLeaks } from '../helpers/leaks';
import { track } from '../helpers/track';

/** features [2] and labels [1] → ClassProjection(2 classes) → [batch, 1]. */
function projectionModel(seed?: number): tf.LayersModel {
  const h = tf.input({ shape: [2] });
  const y = tf.input({ shape: [1], dtype: 'int32' });
  const logit = classProjection({ classes: 2, seed }).apply([h, y]) as tf.SymbolicTensor;
  return tf.model({ inputs: [h, y], outputs: logit });
}

/** Saves to memory and loads back (the layer must be registered to rebuild). */
async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

describe('ClassProjection', () => {
  it('computes psi(h) + <embed(y), h> on hand-set weights', async () => {
    const model = track(projectionModel(1));
    // w = [0.5, -1], b = 0.25, embeddings E = [[1, 0], [0, 3]].
    model.setWeights([
      tf.tensor2d([[0.5], [-1]]),
      tf.tensor1d([0.25]),
      tf.tensor2d([
        [1, 0],
        [0, 3],
      ]),
    ]);
    const h = track(
      tf.tensor2d([
        [1, 2],
        [-1, 0.5],
      ]),
    );
    const y = track(tf.tensor1d([1, 0], 'int32'));
    // Row 1, y = 1: psi = 1·0.5 + 2·(-1) + 0.25 = -1.25; <E[1], h> = 0·1 + 3·2 = 6 → 4.75.
    // Row 2, y = 0: psi = -0.5 - 0.5 + 0.25 = -0.75; <E[0], h> = 1·(-1) + 0·0.5 = -1 → -1.75.
    const out = track(model.predict([h, y]) as tf.Tensor);
    expect(out.shape).toEqual([2, 1]);
    expect(Array.from(await out.data())).toEqual([4.75, -1.75]);
    await expectNoLeaks(() => tf.dispose(model.predict([h, y]) as tf.Tensor));
  });

  it('has kernel [features, 1], bias [1] and embeddings [classes, features]', () => {
    const model = track(projectionModel());
    expect(model.getWeights().map((w) => w.shape)).toEqual([[2, 1], [1], [2, 2]]);
  });

  it('saves and loads with the same config and outputs', async () => {
    const model = track(projectionModel(3));
    const loaded = track(await roundTrip(model));
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    const h = track(tf.tensor2d([0.3, -0.7, 1.5, 2], [2, 2]));
    const y = track(tf.tensor1d([0, 1], 'int32'));
    const before = track(model.predict([h, y]) as tf.Tensor);
    const after = track(loaded.predict([h, y]) as tf.Tensor);
    // Same weights, same cpu kernels, inference mode: bit-identical outputs.
    expect(Array.from(await after.data())).toEqual(Array.from(await before.data()));
  });

  it('refuses a bad class count and a single input', () => {
    expect(() => new ClassProjection({ classes: 0 })).toThrow(
      'ClassProjection: classes must be an integer >= 1, got 0.',
    );
    const h = tf.input({ shape: [2] });
    expect(() => classProjection({ classes: 2 }).apply(h)).toThrow(
      'ClassProjection: inputs must be [features, labels].',
    );
  });
});
