import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';

import { DCGAN, dcganSides } from '../../src';

const built: DCGAN[] = [];
function make(...args: ConstructorParameters<typeof DCGAN>): DCGAN {
  const gan = new DCGAN(...args);
  built.push(gan);
  return gan;
}
afterEach(() => {
  for (const gan of built.splice(0)) gan.dispose();
});

describe('DCGAN', () => {
  it.each([
    // [28,28,1]: 28 = 7·2², seed grid 7×7, two stages.
    [[28, 28, 1], 7, 2],
    // [32,32,3]: 32 = 4·2³, seed grid 4×4, three stages.
    [[32, 32, 3], 4, 3],
    // [64,64,3]: 64 = 4·2⁴, seed grid 4×4, four stages.
    [[64, 64, 3], 4, 4],
  ] as const)('builds %j with a seed grid and stage count that reach it', (shape, seed, stages) => {
    const gan = make({ imageShape: [...shape], latentDim: 16, baseFilters: 4, seed: 1 });
    expect(gan.plan).toEqual({ seedHeight: seed, seedWidth: seed, stages });
    const z = tf.randomNormal([3, 16], 0, 1, 'float32', 7);
    const images = gan.generator.predict(z) as tf.Tensor;
    expect(images.shape).toEqual([3, ...shape]);
    const logits = gan.discriminator.predict(images) as tf.Tensor;
    expect(logits.shape).toEqual([3, 1]);
    tf.dispose([z, images, logits]);
  });

  it('follows the DCGAN layout for MNIST with the default filters', () => {
    const gan = make({ imageShape: [28, 28, 1], seed: 1 });
    // Generator: dense 100 -> 7·7·128 = 6272 units with no bias (batch norm follows),
    // so its kernel holds 100·6272 = 627200 weights.
    const dense = gan.generator.layers.find((l) => l.getClassName() === 'Dense')!;
    expect(dense.getWeights().map((w) => w.shape)).toEqual([[100, 6272]]);
    // Transposed convolutions 128 -> 64 and 64 -> 1, kernels [5,5,out,in] in tfjs's layout.
    const deconvs = gan.generator.layers.filter((l) => l.getClassName() === 'Conv2DTranspose');
    expect(deconvs.map((l) => l.getWeights()[0].shape)).toEqual([
      [5, 5, 64, 128],
      [5, 5, 1, 64],
    ]);
    // Discriminator: conv 1 -> 64 (with bias: no norm on the first layer), conv 64 -> 128,
    // flatten 7·7·128 = 6272 -> one logit.
    const convs = gan.discriminator.layers.filter((l) => l.getClassName() === 'Conv2D');
    expect(convs.map((l) => l.getWeights()[0].shape)).toEqual([
      [5, 5, 1, 64],
      [5, 5, 64, 128],
    ]);
    const names = gan.discriminator.layers.map((l) => l.getClassName());
    expect(names.filter((n) => n === 'BatchNormalization')).toHaveLength(1);
    expect(names).not.toContain('MaxPooling2D');
    expect(gan.discriminator.outputs[0].shape).toEqual([null, 1]);
  });

  it('adds a minibatch stddev feature map before the last convolution when asked', () => {
    const gan = make({
      imageShape: [28, 28, 1],
      baseFilters: 4,
      latentDim: 8,
      minibatchStdDev: 2,
      seed: 1,
    });
    const names = gan.discriminator.layers.map((l) => l.getClassName());
    expect(names).toContain('MinibatchStdDev');
    // The last convolution now reads baseFilters + 1 = 5 channels: kernel [5, 5, 5, 2·4].
    const convs = gan.discriminator.layers.filter((l) => l.getClassName() === 'Conv2D');
    expect(convs[1].getWeights()[0].shape).toEqual([5, 5, 5, 8]);
    const images = tf.zeros([4, 28, 28, 1]);
    const logits = gan.discriminator.predict(images) as tf.Tensor;
    expect(logits.shape).toEqual([4, 1]);
    tf.dispose([images, logits]);
  });

  it('wraps the discriminator convolutions in spectral normalisation when asked', () => {
    const gan = make({
      imageShape: [8, 8, 1],
      baseFilters: 2,
      latentDim: 4,
      spectralNorm: true,
      seed: 1,
    });
    const names = gan.discriminator.layers.map((l) => l.getClassName());
    // One stage for 8×8 (seed 4), so one wrapped convolution.
    expect(names.filter((n) => n === 'SpectralNormalization')).toHaveLength(1);
    const images = tf.zeros([2, 8, 8, 1]);
    const logits = gan.discriminator.predict(images) as tf.Tensor;
    expect(logits.shape).toEqual([2, 1]);
    tf.dispose([images, logits]);
  });

  it('keeps generated images within [-1, 1] even for large latents', () => {
    const gan = make({ imageShape: [16, 16, 3], latentDim: 8, baseFilters: 4, seed: 3 });
    // tanh bounds the output; latents of size 50 push it into saturation.
    const z = tf.mul(tf.randomNormal([4, 8], 0, 1, 'float32', 5), 50);
    const images = gan.generator.predict(z) as tf.Tensor;
    const [min, max] = [images.min().dataSync()[0], images.max().dataSync()[0]];
    expect(min).toBeGreaterThanOrEqual(-1);
    expect(max).toBeLessThanOrEqual(1);
    tf.dispose([z, images]);
  });

  it('gives the same weights for the same seed and different ones for another', () => {
    const a = make({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 2, seed: 11 });
    const b = make({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 2, seed: 11 });
    const c = make({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 2, seed: 12 });
    const first = (gan: DCGAN) => Array.from(gan.generator.getWeights()[0].dataSync());
    expect(first(a)).toEqual(first(b));
    expect(first(a)).not.toEqual(first(c));
  });

  it('lists the sides it can build', () => {
    // 4..7 doubled: 8,10,12,14 (×2), 16,20,24,28 (×4), 32,40,48,56 (×8), 64 (×16).
    expect(dcganSides(64)).toEqual([8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64]);
  });

  it('refuses a side not reachable by doubling, listing the sizes that work', () => {
    expect(() => new DCGAN({ imageShape: [30, 30, 1] })).toThrow(
      new RangeError(
        'DCGAN: imageShape [30,30,1] cannot be built: each side must be a seed size from 4 to 7 ' +
          'doubled one or more times (8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, ' +
          '96, 112, 128, ...), got side 30.',
      ),
    );
  });

  it('refuses sides that double a different number of times', () => {
    // 28 = 7·2² (two doublings), 32 = 4·2³ (three).
    expect(() => new DCGAN({ imageShape: [28, 32, 1] })).toThrow(
      'DCGAN: imageShape [28,32,1] cannot be built: height and width must be doubled the same ' +
        'number of times from seeds from 4 to 7, got 2 doublings for 28 and 3 for 32.',
    );
  });

  it('refuses malformed options with the argument named', () => {
    expect(() => new DCGAN({ imageShape: [28, 28] as never })).toThrow(
      'DCGAN: imageShape must be [height, width, channels], got [28,28].',
    );
    expect(() => new DCGAN({ imageShape: [28, 28, 0] })).toThrow(
      'DCGAN: imageShape[2] (channels) must be an integer >= 1, got 0.',
    );
    expect(() => new DCGAN({ imageShape: [28, 28, 1], latentDim: 2.5 })).toThrow(
      'DCGAN: latentDim must be an integer, got 2.5.',
    );
    expect(
      () => new DCGAN({ imageShape: [28, 28, 1], discriminatorNorm: 'group' as never }),
    ).toThrow(
      "DCGAN: discriminatorNorm must be one of 'batch', 'instance', 'pixel', 'layer', 'none', " +
        "got 'group'.",
    );
  });
});
