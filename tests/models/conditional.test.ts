import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { DCGAN, MlpGAN } from '../../src';
import { track } from '../helpers/track';

const shapes = (tensors: tf.SymbolicTensor[]) => tensors.map((t) => t.shape);

/** Saves to memory and loads back. */
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

describe('DCGAN (class-conditional)', () => {
  it('takes [z, labels] and, with projection, [images, labels] to one logit', () => {
    const gan = track(
      new DCGAN({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 2, classes: 3, seed: 1 }),
    );
    expect(gan.classes).toBe(3);
    expect(gan.options.conditioning).toBe('projection');
    expect(shapes(gan.generator.inputs)).toEqual([
      [null, 4],
      [null, 1],
    ]);
    expect(shapes(gan.discriminator.inputs)).toEqual([
      [null, 8, 8, 1],
      [null, 1],
    ]);
    expect(shapes(gan.discriminator.outputs)).toEqual([[null, 1]]);
    const z = track(tf.randomNormal([5, 4], 0, 1, 'float32', 2));
    const labels = track(tf.tensor1d([0, 1, 2, 0, 1], 'int32'));
    const images = track(gan.generator.predict([z, labels]) as tf.Tensor);
    expect(images.shape).toEqual([5, 8, 8, 1]);
    const logits = track(gan.discriminator.predict([images, labels]) as tf.Tensor);
    expect(logits.shape).toEqual([5, 1]);
  });

  it('with auxiliary conditioning outputs a logit and class logits from images alone', () => {
    const gan = track(
      new DCGAN({
        imageShape: [8, 8, 1],
        baseFilters: 2,
        classes: 3,
        conditioning: 'auxiliary',
        seed: 1,
      }),
    );
    expect(shapes(gan.discriminator.inputs)).toEqual([[null, 8, 8, 1]]);
    expect(shapes(gan.discriminator.outputs)).toEqual([
      [null, 1],
      [null, 3],
    ]);
  });

  it('gives the label embedding labelEmbeddingDim columns next to z', () => {
    const gan = track(
      new DCGAN({
        imageShape: [8, 8, 1],
        latentDim: 4,
        baseFilters: 2,
        classes: 3,
        labelEmbeddingDim: 6,
        seed: 1,
      }),
    );
    const embedding = gan.generator.layers.find((l) => l.getClassName() === 'ClassEmbedding')!;
    expect(embedding.getWeights()[0].shape).toEqual([3, 6]);
    // The first dense layer sees z (4) and the embedding (6): a kernel of 10 rows.
    const dense = gan.generator.layers.find((l) => l.getClassName() === 'Dense')!;
    expect(dense.getWeights()[0].shape[0]).toBe(10);
  });

  it('saves and loads a conditional generator and discriminator with the same outputs', async () => {
    const gan = track(
      new DCGAN({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 2, classes: 3, seed: 1 }),
    );
    const z = track(tf.randomNormal([2, 4], 0, 1, 'float32', 2));
    const labels = track(tf.tensor1d([2, 0], 'int32'));
    const generator = track(await roundTrip(gan.generator));
    const discriminator = track(await roundTrip(gan.discriminator));
    const images = track(gan.generator.predict([z, labels]) as tf.Tensor);
    const again = track(generator.predict([z, labels]) as tf.Tensor);
    expect(Array.from(await again.data())).toEqual(Array.from(await images.data()));
    const logits = track(gan.discriminator.predict([images, labels]) as tf.Tensor);
    const reloaded = track(discriminator.predict([images, labels]) as tf.Tensor);
    expect(Array.from(await reloaded.data())).toEqual(Array.from(await logits.data()));
  });

  it('builds the unconditional networks exactly as before when classes is absent', () => {
    const a = track(new DCGAN({ imageShape: [8, 8, 1], baseFilters: 2, seed: 5 }));
    expect(a.classes).toBeNull();
    expect(shapes(a.generator.inputs)).toEqual([[null, 100]]);
    expect(shapes(a.discriminator.outputs)).toEqual([[null, 1]]);
  });

  it('refuses conditioning without classes and a bad class count', () => {
    expect(() => new DCGAN({ imageShape: [8, 8, 1], conditioning: 'auxiliary' })).toThrow(
      "DCGAN: conditioning needs classes (the number of classes), got conditioning 'auxiliary' " +
        'without classes.',
    );
    expect(() => new DCGAN({ imageShape: [8, 8, 1], classes: 1 })).toThrow(
      'DCGAN: classes must be an integer >= 2, got 1.',
    );
    expect(
      () => new DCGAN({ imageShape: [8, 8, 1], classes: 3, conditioning: 'concat' as never }),
    ).toThrow("DCGAN: conditioning must be one of 'projection', 'auxiliary', got 'concat'.");
  });
});

describe('MlpGAN (class-conditional)', () => {
  it('builds projection and auxiliary discriminators', () => {
    const base = {
      dataShape: [2],
      latentDim: 3,
      generatorUnits: [4],
      discriminatorUnits: [5],
      classes: 4,
      seed: 1,
    };
    const projection = track(new MlpGAN(base));
    expect(shapes(projection.generator.inputs)).toEqual([
      [null, 3],
      [null, 1],
    ]);
    expect(shapes(projection.discriminator.inputs)).toEqual([
      [null, 2],
      [null, 1],
    ]);
    expect(shapes(projection.discriminator.outputs)).toEqual([[null, 1]]);
    const auxiliary = track(new MlpGAN({ ...base, conditioning: 'auxiliary' }));
    expect(shapes(auxiliary.discriminator.inputs)).toEqual([[null, 2]]);
    expect(shapes(auxiliary.discriminator.outputs)).toEqual([
      [null, 1],
      [null, 4],
    ]);
    const z = track(tf.randomNormal([3, 3], 0, 1, 'float32', 1));
    const labels = track(tf.tensor1d([3, 0, 1], 'int32'));
    const points = track(auxiliary.generator.predict([z, labels]) as tf.Tensor);
    expect(points.shape).toEqual([3, 2]);
    const [logit, classLogits] = auxiliary.discriminator.predict(points) as tf.Tensor[];
    track(logit);
    track(classLogits);
    expect([logit.shape, classLogits.shape]).toEqual([
      [3, 1],
      [3, 4],
    ]);
  });
});
