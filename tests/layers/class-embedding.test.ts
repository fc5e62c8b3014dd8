import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { ClassEmbedding, classEmbedding } from '../../src';
import { expectNoLeaks } from '../helpers/leaks';
import { track } from '../helpers/track';

function embeddingModel(): tf.LayersModel {
  const y = tf.input({ shape: [1], dtype: 'int32' });
  const out = classEmbedding({ classes: 3, outputDim: 2, seed: 1 }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: y, outputs: out });
}

describe('ClassEmbedding', () => {
  it("returns each label's row of the embeddings", async () => {
    const model = track(embeddingModel());
    model.setWeights([tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2])]);
    // Rows: 0 → [1, 2], 1 → [3, 4], 2 → [5, 6]; labels [2, 0, 2] → [5, 6, 1, 2, 5, 6].
    const y = track(tf.tensor1d([2, 0, 2], 'int32'));
    const out = track(model.predict(y) as tf.Tensor);
    expect(out.shape).toEqual([3, 2]);
    expect(Array.from(await out.data())).toEqual([5, 6, 1, 2, 5, 6]);
    await expectNoLeaks(() => tf.dispose(model.predict(y) as tf.Tensor));
  });

  it('passes gradients to the rows of the labels drawn', async () => {
    const layer = classEmbedding({ classes: 3, outputDim: 2, seed: 2 });
    const y = track(tf.tensor1d([2, 2, 0], 'int32'));
    tf.dispose(layer.apply(y) as tf.Tensor); // builds the weights
    const embeddings = layer.trainableWeights[0].read() as tf.Variable;
    // d/dE of sum(E[y]): row 2 drawn twice → 2, row 0 once → 1, row 1 never → 0.
    const { grads } = tf.variableGrads(
      () => tf.sum(layer.apply(y) as tf.Tensor) as tf.Scalar,
      [embeddings],
    );
    const grad = track(grads[embeddings.name]);
    expect(Array.from(await grad.data())).toEqual([1, 1, 0, 0, 2, 2]);
    layer.dispose();
  });

  it('saves and loads with the same config and outputs', async () => {
    const model = track(embeddingModel());
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = track(await tf.loadLayersModel(tf.io.fromMemory(saved!)));
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expect(loaded.layers[1]).toBeInstanceOf(ClassEmbedding);
    const y = track(tf.tensor1d([1, 0, 2], 'int32'));
    const before = track(model.predict(y) as tf.Tensor);
    const after = track(loaded.predict(y) as tf.Tensor);
    expect(Array.from(await after.data())).toEqual(Array.from(await before.data()));
  });

  it('refuses a bad output size', () => {
    expect(() => classEmbedding({ classes: 2, outputDim: 0 })).toThrow(
      'ClassEmbedding: outputDim must be an integer >= 1, got 0.',
    );
  });
});
