import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { MlpGAN, Trainer } from '../../src';
import { track } from '../helpers/track';

/** Class k's mode: radius 2 at 90° + 120°·k, i.e. (0, 2), (-√3, -1), (√3, -1). */
const MODES = [90, 210, 330].map((degrees) => {
  const angle = (degrees * Math.PI) / 180;
  return [2 * Math.cos(angle), 2 * Math.sin(angle)];
});

describe('Trainer (class-conditional toy problem)', () => {
  it('learns to put class k samples at mode k', async () => {
    const gan = track(
      new MlpGAN({
        dataShape: [2],
        latentDim: 4,
        generatorUnits: [16],
        discriminatorUnits: [16],
        classes: 3,
        labelEmbeddingDim: 4,
        seed: 1,
      }),
    );
    const trainer = track(
      new Trainer({
        generator: gan.generator,
        discriminator: gan.discriminator,
        generatorOptimizer: track(tf.train.adam(5e-3, 0.5)),
        discriminatorOptimizer: track(tf.train.adam(5e-3, 0.5)),
        seed: 1,
      }),
    );
    const modes = track(tf.tensor2d(MODES));
    for (let step = 0; step < 150; step++) {
      // 32 points: class y uniform, at MODES[y] plus N(0, 0.1²) noise.
      const labels = tf.randomUniformInt([32], 0, 3, 100 + step) as tf.Tensor1D;
      const real = tf.tidy(() =>
        tf.add(tf.gather(modes, labels), tf.randomNormal([32, 2], 0, 0.1, 'float32', 1000 + step)),
      );
      await trainer.step(real, labels);
      tf.dispose([labels, real]);
    }
    for (let k = 0; k < 3; k++) {
      const samples = trainer.sample(200, { labels: k, seed: 5 });
      const points = (await samples.array()) as number[][];
      samples.dispose();
      const distances = points.map(([x, y]) => MODES.map(([a, b]) => Math.hypot(x - a, y - b)));
      const nearest = distances.filter((d) => d.indexOf(Math.min(...d)) === k).length / 200;
      const meanDistance = distances.reduce((sum, d) => sum + d[k], 0) / 200;
      // A generator that ignored the label would put a class's samples in mode k's cell a
      // third of the time (1/3 of its mass per mode), and their mean distance to mode k
      // would be 2/3 · 2√3 ≈ 2.31 (the modes are 2√3 ≈ 3.46 apart). Asked: at least 90% in
      // mode k's cell, and a mean distance below half the spacing, √3 ≈ 1.73.
      expect(nearest).toBeGreaterThanOrEqual(0.9);
      expect(meanDistance).toBeLessThan(Math.sqrt(3));
    }
  }, 60_000);
});
