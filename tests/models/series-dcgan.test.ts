import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { SeriesDCGAN } from '../../src';
import { track } from '../helpers/track';

function make(...args: ConstructorParameters<typeof SeriesDCGAN>): SeriesDCGAN {
  return track(new SeriesDCGAN(...args));
}

describe('SeriesDCGAN', () => {
  it.each([
    // 8 = 4·2: seed length 4, one stage.
    [8, 1, 4, 1],
    // 20 = 5·2²: seed length 5, two stages.
    [20, 2, 5, 2],
    // 56 = 7·2³: seed length 7, three stages.
    [56, 1, 7, 3],
    // 64 = 4·2⁴: seed length 4, four stages.
    [64, 3, 4, 4],
  ])(
    'builds length %i with %i channels from seed length %i in %i stages',
    (length, channels, seed, stages) => {
      const gan = make({ length, channels, latentDim: 6, baseFilters: 2, seed: 1 });
      expect(gan.plan).toEqual({ seedLength: seed, stages });
      expect(gan.seriesShape).toEqual([length, channels]);
      const z = tf.randomNormal([3, 6], 0, 1, 'float32', 7);
      const series = gan.generator.predict(z) as tf.Tensor;
      expect(series.shape).toEqual([3, length, channels]);
      const logits = gan.discriminator.predict(series) as tf.Tensor;
      expect(logits.shape).toEqual([3, 1]);
      tf.dispose([z, series, logits]);
    },
  );

  it('convolves along time only, with the DCGAN layout of filters', () => {
    const gan = make({ length: 16, latentDim: 10, baseFilters: 4, seed: 1 });
    // 16 = 4·2²: two stages, top filters 4·2^(2-1) = 8; dense 10 -> 4·8 = 32 units, no bias
    // (batch norm follows).
    const dense = gan.generator.layers.find((l) => l.getClassName() === 'Dense')!;
    expect(dense.getWeights().map((w) => w.shape)).toEqual([[10, 32]]);
    // Transposed convolutions 8 -> 4 -> 1 with kernels [1, 5, out, in]: height 1, time 5.
    const deconvs = gan.generator.layers.filter((l) => l.getClassName() === 'Conv2DTranspose');
    expect(deconvs.map((l) => l.getWeights()[0].shape)).toEqual([
      [1, 5, 4, 8],
      [1, 5, 1, 4],
    ]);
    // Discriminator: 1 -> 4 (with bias, no norm on the first layer) -> 8 (no bias, batch norm),
    // flatten 4·8 = 32 -> one logit.
    const convs = gan.discriminator.layers.filter((l) => l.getClassName() === 'Conv2D');
    expect(convs.map((l) => l.getWeights().map((w) => w.shape))).toEqual([
      [[1, 5, 1, 4], [4]],
      [[1, 5, 4, 8]],
    ]);
    const last = gan.discriminator.layers[gan.discriminator.layers.length - 1];
    expect(last.getWeights()[0].shape).toEqual([32, 1]);
    // The generator ends in tanh, so the Trainer checks real batches against [-1, 1].
    const end = gan.generator.layers[gan.generator.layers.length - 1];
    expect(end.getConfig().activation).toBe('tanh');
  });

  it.each(['instance', 'pixel', 'layer', 'none'] as const)(
    'builds and runs with %s normalisation in both networks',
    (norm) => {
      const gan = make({
        length: 8,
        latentDim: 4,
        baseFilters: 2,
        generatorNorm: norm,
        discriminatorNorm: norm,
        seed: 1,
      });
      const z = tf.randomNormal([2, 4], 0, 1, 'float32', 3);
      const series = gan.generator.predict(z) as tf.Tensor;
      const logits = gan.discriminator.predict(series) as tf.Tensor;
      expect([series.shape, logits.shape]).toEqual([
        [2, 8, 1],
        [2, 1],
      ]);
      tf.dispose([z, series, logits]);
    },
  );

  it('adds a minibatch stddev channel and spectral normalisation when asked', () => {
    const gan = make({
      length: 16,
      latentDim: 4,
      baseFilters: 2,
      minibatchStdDev: 2,
      spectralNorm: true,
      seed: 1,
    });
    const names = gan.discriminator.layers.map((l) => l.getClassName());
    expect(names).toContain('MinibatchStdDev');
    // Two stages for 16 = 4·2², so two wrapped convolutions.
    expect(names.filter((n) => n === 'SpectralNormalization')).toHaveLength(2);
    const series = tf.zeros([4, 16, 1]);
    const logits = gan.discriminator.predict(series) as tf.Tensor;
    expect(logits.shape).toEqual([4, 1]);
    tf.dispose([series, logits]);
  });

  it('keeps generated series within [-1, 1] even for large latents', () => {
    const gan = make({ length: 8, latentDim: 4, baseFilters: 2, seed: 3 });
    const z = tf.mul(tf.randomNormal([4, 4], 0, 1, 'float32', 5), 50);
    const series = gan.generator.predict(z) as tf.Tensor;
    expect(series.min().dataSync()[0]).toBeGreaterThanOrEqual(-1);
    expect(series.max().dataSync()[0]).toBeLessThanOrEqual(1);
    tf.dispose([z, series]);
  });

  it('gives the same weights for the same seed and different ones for another', () => {
    const weights = (seed: number) =>
      Array.from(
        make({ length: 8, latentDim: 4, baseFilters: 2, seed })
          .generator.getWeights()[0]
          .dataSync(),
      );
    expect(weights(11)).toEqual(weights(11));
    expect(weights(11)).not.toEqual(weights(12));
  });

  it('refuses a length not reachable by doubling, listing the lengths that work', () => {
    // 30 = 15·2: the seed 15 is above 7. 6 is a seed length, but needs one doubling.
    for (const length of [30, 6]) {
      expect(() => new SeriesDCGAN({ length })).toThrow(
        new RangeError(
          'SeriesDCGAN: length must be a seed length from 4 to 7 doubled one or more times ' +
            '(8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, ...), ' +
            `got ${length}.`,
        ),
      );
    }
  });

  it('refuses malformed options with the argument named', () => {
    expect(() => new SeriesDCGAN({ length: 64.5 })).toThrow(
      new TypeError('SeriesDCGAN: length must be an integer, got 64.5.'),
    );
    expect(() => new SeriesDCGAN({ length: 64, channels: 0 })).toThrow(
      new RangeError('SeriesDCGAN: channels must be an integer >= 1, got 0.'),
    );
    expect(() => new SeriesDCGAN({ length: 64, generatorNorm: 'group' as never })).toThrow(
      "SeriesDCGAN: generatorNorm must be one of 'batch', 'instance', 'pixel', 'layer', " +
        "'none', got 'group'.",
    );
    expect(() => new SeriesDCGAN({ length: 64, imageShape: [8, 8, 1] } as never)).toThrow(
      new RangeError(
        "SeriesDCGAN: option 'imageShape' is not supported; the supported options are " +
          "'length', 'channels', 'latentDim', 'baseFilters', 'kernelSize', " +
          "'generatorActivation', 'generatorNorm', 'discriminatorNorm', 'leakyReluAlpha', " +
          "'batchNormMomentum', 'minibatchStdDev', 'spectralNorm', 'seed'.",
      ),
    );
    expect(() => new SeriesDCGAN(null as never)).toThrow(
      new TypeError('SeriesDCGAN: options must be an object, got null.'),
    );
  });
});
