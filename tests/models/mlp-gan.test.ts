import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';

import { ringMixture } from '../../src/data/mixtures';
import { MlpGAN } from '../../src/models/mlp-gan';
import { Maxout } from '../../src/models/mlp-maxout';
import { Trainer } from '../../src/training/trainer';
import { expectNoLeaks } from '../helpers/leaks';
import { expectThrows } from '../helpers/fixtures/throws';

const built: MlpGAN[] = [];
function make(...args: ConstructorParameters<typeof MlpGAN>): MlpGAN {
  const gan = new MlpGAN(...args);
  built.push(gan);
  return gan;
}
afterEach(() => {
  for (const gan of built.splice(0)) gan.dispose();
});

const kernelShapes = (model: tf.LayersModel) =>
  model.layers.filter((l) => l.getClassName() === 'Dense').map((l) => l.getWeights()[0].shape);

describe('MlpGAN', () => {
  it('maps latents to points and points to one logit each', () => {
    const gan = make({ dataShape: [2], latentDim: 8, generatorUnits: [16, 16], seed: 1 });
    const z = tf.randomNormal([5, 8], 0, 1, 'float32', 2);
    const points = gan.generator.predict(z) as tf.Tensor;
    const logits = gan.discriminator.predict(points) as tf.Tensor;
    expect(points.shape).toEqual([5, 2]);
    expect(logits.shape).toEqual([5, 1]);
    tf.dispose([z, points, logits]);
  });

  it('lays out the dense layers from the unit lists', () => {
    const gan = make({
      dataShape: [3],
      latentDim: 4,
      generatorUnits: [10, 20],
      discriminatorUnits: [6, 5],
      seed: 1,
    });
    // Generator 4 → 10 → 20 → 3; discriminator 3 → 6 → 5 → 1.
    expect(kernelShapes(gan.generator)).toEqual([
      [4, 10],
      [10, 20],
      [20, 3],
    ]);
    expect(kernelShapes(gan.discriminator)).toEqual([
      [3, 6],
      [6, 5],
      [5, 1],
    ]);
    // Batch norm (the generator default) after each hidden layer, none in the discriminator.
    const count = (m: tf.LayersModel, name: string) =>
      m.layers.filter((l) => l.getClassName() === name).length;
    expect(count(gan.generator, 'BatchNormalization')).toBe(2);
    expect(count(gan.discriminator, 'BatchNormalization')).toBe(0);
  });

  it('shapes short series as [steps, channels]', () => {
    const gan = make({
      dataShape: [12, 3],
      latentDim: 4,
      generatorUnits: [8],
      discriminatorUnits: [8],
      seed: 1,
    });
    const z = tf.zeros([2, 4]);
    const series = gan.generator.predict(z) as tf.Tensor;
    expect(series.shape).toEqual([2, 12, 3]);
    // The discriminator flattens 12·3 = 36 values into its first dense layer.
    expect(kernelShapes(gan.discriminator)[0]).toEqual([36, 8]);
    tf.dispose([z, series]);
  });

  it('builds maxout units of units·pieces outputs', () => {
    const gan = make({
      dataShape: [2],
      discriminatorUnits: [7, 7],
      discriminatorActivation: 'maxout',
      maxoutPieces: 3,
      seed: 1,
    });
    // Each hidden layer has 7·3 = 21 outputs maxed down to 7: 2 → 21, 7 → 21, 7 → 1.
    expect(kernelShapes(gan.discriminator)).toEqual([
      [2, 21],
      [7, 21],
      [7, 1],
    ]);
    expect(gan.discriminator.layers.filter((l) => l instanceof Maxout)).toHaveLength(2);
  });

  it('adds the diversity layers to the discriminator', () => {
    const gan = make({
      dataShape: [2],
      discriminatorUnits: [8, 8],
      minibatchStdDev: 2,
      minibatchDiscrimination: { numKernels: 4, kernelDim: 3 },
      seed: 1,
    });
    const names = gan.discriminator.layers.map((l) => l.getClassName());
    expect(names).toContain('MinibatchStdDev');
    expect(names).toContain('MinibatchDiscrimination');
    // Stddev adds one feature before the last hidden layer (8 + 1 → 8); minibatch
    // discrimination adds 4 before the logit (8 + 4 → 1).
    expect(kernelShapes(gan.discriminator)).toEqual([
      [2, 8],
      [9, 8],
      [12, 1],
    ]);
  });

  it("packs m samples into one discriminator input and gives each its pack's logit", async () => {
    const gan = make({ dataShape: [2], discriminatorUnits: [8], packing: 4, seed: 1 });
    // The first dense layer sees 4 points of 2 coordinates side by side: kernel [4·2 = 8, 8].
    expect(kernelShapes(gan.discriminator)).toEqual([
      [8, 8],
      [8, 1],
    ]);
    // Batch 8 = 2 packs: samples 0-3 share one logit, samples 4-7 the other.
    const points = tf.randomNormal([8, 2], 0, 1, 'float32', 3);
    const logits = gan.discriminator.predict(points, { batchSize: 8 }) as tf.Tensor;
    expect(logits.shape).toEqual([8, 1]);
    const v = Array.from(await logits.data());
    expect(v).toEqual([v[0], v[0], v[0], v[0], v[4], v[4], v[4], v[4]]);
    // Changing sample 5 changes only the second pack's logit.
    const moved = tf.add(points, tf.oneHot([5], 8).reshape([8, 1]).tile([1, 2]));
    const after = gan.discriminator.predict(moved, { batchSize: 8 }) as tf.Tensor;
    const w = Array.from(await after.data());
    expect(w.slice(0, 4)).toEqual(v.slice(0, 4));
    expect(w[4]).not.toBe(v[4]);
    tf.dispose([points, logits, moved, after]);
  });

  it('refuses a batch that is not a multiple of packing', async () => {
    const gan = make({ dataShape: [2], generatorUnits: [4], discriminatorUnits: [4], packing: 4 });
    const trainer = new Trainer({ generator: gan.generator, discriminator: gan.discriminator });
    const real = tf.zeros([6, 2]);
    await expect(trainer.step(real)).rejects.toThrow(
      new RangeError(
        'PackSamples: the batch must be a multiple of the pack size 4, got a batch of 6.',
      ),
    );
    tf.dispose(real);
    trainer.dispose();
  });

  it('gives the same weights for the same seed', () => {
    const a = make({ dataShape: [2], generatorUnits: [4], discriminatorUnits: [4], seed: 5 });
    const b = make({ dataShape: [2], generatorUnits: [4], discriminatorUnits: [4], seed: 5 });
    const values = (gan: MlpGAN) => gan.generator.getWeights().map((w) => w.arraySync());
    expect(values(a)).toEqual(values(b));
  });

  it('trains with the Trainer for a few steps without leaking tensors', async () => {
    const gan = make({
      dataShape: [2],
      generatorUnits: [16],
      discriminatorUnits: [16],
      discriminatorActivation: 'maxout',
      minibatchDiscrimination: true,
      packing: 2,
      seed: 1,
    });
    const trainer = new Trainer({
      generator: gan.generator,
      discriminator: gan.discriminator,
      seed: 1,
    });
    const ring = ringMixture();
    await trainer.fit(ring.batches(8, 1), { steps: 1 }); // optimiser slots are made here
    const summary = await expectNoLeaks(() => trainer.fit(ring.batches(8, 2), { steps: 3 }));
    expect(summary.steps).toBe(3);
    expect(Number.isFinite(summary.last!.discriminatorLoss)).toBe(true);
    trainer.dispose();
  });

  it('refuses instance norm, which needs spatial axes, and unknown options', () => {
    expectThrows(
      () => make({ dataShape: [2], generatorNorm: 'instance' }),
      RangeError,
      "MlpGAN: generatorNorm must be one of 'batch', 'layer', 'pixel', 'none', got 'instance'.",
    );
    expectThrows(
      () => make({ dataShape: [2], units: 3 } as never),
      RangeError,
      "MlpGAN: option 'units' is not supported; the supported options are 'dataShape', " +
        "'latentDim', 'generatorUnits', 'discriminatorUnits', 'generatorActivation', " +
        "'discriminatorActivation', 'maxoutPieces', 'outputActivation', 'generatorNorm', " +
        "'discriminatorNorm', 'leakyReluAlpha', 'batchNormMomentum', 'minibatchStdDev', " +
        "'minibatchDiscrimination', 'packing', 'seed', 'classes', 'conditioning', 'labelEmbeddingDim'.",
    );
    expectThrows(
      () => make({ dataShape: [2, 3, 4] }),
      TypeError,
      'MlpGAN: dataShape must be [features] or [steps, channels], got [2,3,4].',
    );
  });
});

describe('Maxout', () => {
  it('takes the maximum of each group of consecutive features', async () => {
    // Groups (1, 5) and (4, 2): maxima 5 and 4; second row (−1, −3), (0, −2): −1 and 0.
    const x = tf.tensor2d([
      [1, 5, 4, 2],
      [-1, -3, 0, -2],
    ]);
    const y = new Maxout({ pieces: 2 }).apply(x) as tf.Tensor;
    expect(await y.array()).toEqual([
      [5, 4],
      [-1, 0],
    ]);
    tf.dispose([x, y]);
  });

  it('round-trips through a saved model', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 6, inputShape: [2] }), new Maxout({ pieces: 3 })],
    });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const x = tf.tensor2d([[0.5, -1]]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(await b.array()).toEqual(await a.array());
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('refuses a feature count that is not a multiple of pieces', () => {
    const layer = new Maxout({ pieces: 3 });
    expectThrows(
      () => layer.computeOutputShape([null, 7]),
      RangeError,
      'Maxout: the feature count must be a multiple of pieces (3), got 7.',
    );
  });
});
