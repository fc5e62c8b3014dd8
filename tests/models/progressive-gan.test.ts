import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';

import { FadeIn, ProgressiveGAN, type ProgressiveGANOptions } from '../../src';
import { expectNoLeaks } from '../helpers/leaks';

const built: ProgressiveGAN[] = [];
function make(options: Partial<ProgressiveGANOptions> = {}): ProgressiveGAN {
  const gan = new ProgressiveGAN({
    imageShape: [16, 16, 1],
    latentDim: 4,
    baseFilters: 2,
    maxFilters: 4,
    seed: 1,
    ...options,
  });
  built.push(gan);
  return gan;
}
afterEach(() => {
  for (const gan of built.splice(0)) gan.dispose();
});

async function values(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

function maxAbsDifference(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

describe('ProgressiveGAN', () => {
  it('has the shapes and filters of every stage, from 4×4 to the final size', () => {
    const gan = make();
    // 16 = 4·2², three stages; filters min(4, 2·2^(2 − s)): s0 min(4, 8) = 4, s1 4, s2 2.
    expect(gan.stages).toBe(3);
    expect(gan.filters).toEqual([4, 4, 2]);
    for (const resolution of [4, 8, 16]) {
      expect(gan.resolution).toBe(resolution);
      expect(gan.generator.inputs[0].shape).toEqual([null, 4]);
      expect(gan.generator.outputs[0].shape).toEqual([null, resolution, resolution, 1]);
      expect(gan.discriminator.inputs[0].shape).toEqual([null, resolution, resolution, 1]);
      expect(gan.discriminator.outputs[0].shape).toEqual([null, 1]);
      if (resolution < 16) expect(gan.grow()).toBe(gan.stage);
    }
    expect(() => gan.grow()).toThrow(
      'ProgressiveGAN.grow: the networks are already at the final resolution, 16×16 (stage 2).',
    );
  });

  it('generates images in [-1, 1] and one logit each at every stage', async () => {
    const gan = make({ imageShape: [8, 8, 3] });
    const z = tf.randomNormal([4, 4], 0, 1, 'float32', 3);
    for (let stage = 0; stage < 2; stage++) {
      if (stage > 0) gan.grow();
      gan.alpha = stage === 0 ? 1 : 0.5;
      const images = gan.generator.predict(z) as tf.Tensor;
      const r = 4 * 2 ** stage;
      expect(images.shape).toEqual([4, r, r, 3]);
      const logits = gan.discriminator.predict(images) as tf.Tensor;
      expect(logits.shape).toEqual([4, 1]);
      // tanh on both paths, and a convex mix of two values in [-1, 1] stays in [-1, 1].
      expect((await values(images)).every((v) => v >= -1 && v <= 1)).toBe(true);
      expect((await values(logits)).every(Number.isFinite)).toBe(true);
    }
    z.dispose();
  });

  it("fades the generator in: at alpha 0 it is the previous stage's output upsampled, at 1 the new path", async () => {
    const gan = make();
    gan.grow(); // 8×8, trained as if to alpha 1
    gan.alpha = 1;
    const z = tf.randomNormal([3, 4], 0, 1, 'float32', 5);
    const before = gan.generator.predict(z) as tf.Tensor4D;
    // Nearest neighbour: every pixel of the 8×8 output repeated in a 2×2 square.
    const upsampled = await values(tf.image.resizeNearestNeighbor(before, [16, 16]));
    before.dispose();
    gan.grow(); // 16×16 at alpha 0
    expect(gan.alpha).toBe(0);
    const atZero = await values(gan.generator.predict(z) as tf.Tensor);
    // (1 − 0)·old + 0·new = old exactly: the same ops on the same weights, bit for bit.
    expect(atZero).toEqual(upsampled);

    gan.alpha = 1;
    const atOne = await values(gan.generator.predict(z) as tf.Tensor);
    // At alpha 1 the old path is multiplied by 0: changing its toRgb leaves the output as is.
    const oldToRgb = gan.generator.getLayer('g8_to_rgb');
    oldToRgb.setWeights(oldToRgb.getWeights().map((w) => tf.tidy(() => tf.mul(w, -3))));
    expect(await values(gan.generator.predict(z) as tf.Tensor)).toEqual(atOne);
    expect(maxAbsDifference(atOne, atZero)).toBeGreaterThan(1e-3);

    // alpha 0.25: 0.75·old + 0.25·new, with old after the change above = old path re-read.
    gan.alpha = 0;
    const changedOld = await values(gan.generator.predict(z) as tf.Tensor);
    gan.alpha = 0.25;
    const mixed = await values(gan.generator.predict(z) as tf.Tensor);
    const expected = changedOld.map((o, i) => 0.75 * o + 0.25 * atOne[i]);
    // float32 rounding of two products and a sum: well under 1e-6 for values in [-1, 1].
    expect(maxAbsDifference(mixed, expected)).toBeLessThan(1e-6);
    z.dispose();
  });

  it("fades the discriminator in: at alpha 0 it is the previous stage's on pooled images, at 1 the new path", async () => {
    const gan = make();
    const x = tf.randomUniform([4, 8, 8, 1], -1, 1, 'float32', 6);
    // The mean of each 2×2 square: what the fade's old path sees.
    const pooled = tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid');
    const previous = await values(gan.discriminator.predict(pooled) as tf.Tensor);
    gan.grow(); // 8×8 at alpha 0
    // (1 − 0)·fromRgb_4(avgPool(x)) + 0·block_8(fromRgb_8(x)), then the 4×4 block as before.
    expect(await values(gan.discriminator.predict(x) as tf.Tensor)).toEqual(previous);

    gan.alpha = 1;
    const atOne = await values(gan.discriminator.predict(x) as tf.Tensor);
    const oldFromRgb = gan.discriminator.getLayer('d4_from_rgb');
    oldFromRgb.setWeights(oldFromRgb.getWeights().map((w) => tf.tidy(() => tf.mul(w, -3))));
    expect(await values(gan.discriminator.predict(x) as tf.Tensor)).toEqual(atOne);

    // In between, the fade layer's output is (1 − α)·old + α·new of its two inputs.
    gan.alpha = 0.25;
    const fade = gan.discriminator.getLayer('d8_fade');
    expect(fade).toBeInstanceOf(FadeIn);
    const inputs = fade.input as tf.SymbolicTensor[];
    // A view of the same graph; it owns no weights, so it is never disposed.
    const probe = tf.model({
      inputs: gan.discriminator.inputs,
      outputs: [...inputs, fade.output as tf.SymbolicTensor],
    });
    const [old, grown, mixed] = await Promise.all(
      (probe.predict(x) as tf.Tensor[]).map((t) => values(t)),
    );
    const expected = old.map((o, i) => 0.75 * o + 0.25 * grown[i]);
    // float32 rounding of two products and a sum of values of order 1: under 1e-5.
    expect(maxAbsDifference(mixed, expected)).toBeLessThan(1e-5);
    tf.dispose([x, pooled]);
  });

  it('carries every weight over when it grows', async () => {
    const gan = make();
    const read = async (model: tf.LayersModel) => {
      const byLayer = new Map<string, number[][]>();
      for (const layer of model.layers) {
        byLayer.set(
          layer.name,
          await Promise.all(
            layer
              .getWeights()
              .map((w) => w.data())
              .map(async (d) => Array.from(await d)),
          ),
        );
      }
      return byLayer;
    };
    for (let stage = 1; stage < 3; stage++) {
      const generator = await read(gan.generator);
      const discriminator = await read(gan.discriminator);
      gan.grow();
      for (const [before, model] of [
        [generator, gan.generator],
        [discriminator, gan.discriminator],
      ] as const) {
        let shared = 0;
        for (const layer of model.layers) {
          const old = before.get(layer.name);
          if (old === undefined || old.length === 0) continue;
          shared++;
          expect((await read(model)).get(layer.name)).toEqual(old);
        }
        // Every weighted layer of the previous stage is still there, except its fade layers
        // and, from 16×16 on, the old path's toRgb / fromRgb of two stages back (stage 0 at
        // the growth to stage 2), which no later stage uses.
        const dropped = stage === 2 ? ['g4_to_rgb', 'd4_from_rgb'] : [];
        const weighted = [...before.entries()].filter(
          ([name, w]) => w.length > 0 && !name.endsWith('_fade') && !dropped.includes(name),
        );
        expect(shared).toBe(weighted.length);
      }
    }
  });

  it('rejects bad options and alpha values with the argument named', () => {
    expect(() => make({ imageShape: [28, 28, 1] })).toThrow(
      'ProgressiveGAN: imageShape must be [size, size, channels] with size 4, 8, 16, … ' +
        '(4 doubled up to 1024) and channels >= 1, got [28,28,1].',
    );
    expect(() => make({ imageShape: [16, 8, 1] })).toThrow('got [16,8,1].');
    expect(() => make({ maxFilters: 1 })).toThrow(
      'ProgressiveGAN: maxFilters must be >= baseFilters (2), got 1.',
    );
    expect(() => make({ minibatchStdDev: 0 })).toThrow(
      'ProgressiveGAN: minibatchStdDev (group size) must be an integer >= 1, got 0.',
    );
    expect(() => make({ pixelNorm: 'yes' as never })).toThrow(
      "ProgressiveGAN: pixelNorm must be true or false, got 'yes'.",
    );
    expect(() => make({ depth: 3 } as never)).toThrow(
      "ProgressiveGAN: option 'depth' is not supported;",
    );
    const gan = make();
    expect(gan.alpha).toBe(1);
    expect(() => (gan.alpha = 0.5)).toThrow(
      'ProgressiveGAN: alpha must be 1 at stage 0 (4×4 has nothing to fade in), got 0.5.',
    );
    gan.grow();
    expect(() => (gan.alpha = -0.1)).toThrow('ProgressiveGAN: alpha must be in [0, 1], got -0.1.');
  });

  it('builds without minibatch stddev or pixel norm', () => {
    const gan = make({ minibatchStdDev: false, pixelNorm: false });
    const names = [...gan.generator.layers, ...gan.discriminator.layers].map((l) =>
      l.getClassName(),
    );
    expect(names).not.toContain('MinibatchStdDev');
    expect(names).not.toContain('PixelNormalization');
  });

  it('frees every weight of every stage on dispose, old stages included', async () => {
    await expectNoLeaks(() => {
      const gan = new ProgressiveGAN({
        imageShape: [16, 16, 1],
        latentDim: 4,
        baseFilters: 2,
        seed: 1,
      });
      gan.grow();
      gan.alpha = 0.5;
      gan.grow();
      gan.dispose();
    });
  });
});
