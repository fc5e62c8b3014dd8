/**
 * The GAN the browser page trains: a small fully connected generator and discriminator on the
 * ring of eight Gaussians (Metz et al. 2017, "Unrolled Generative Adversarial Networks",
 * https://arxiv.org/abs/1611.02163): radius 2, standard deviation 0.02 around each mode.
 */
import * as tf from '@tensorflow/tfjs';

/** Length of the latent vector. */
export const LATENT_DIM = 8;
/** Modes on the ring, their distance from the origin and their spread. */
export const RING = { modes: 8, radius: 2, stddev: 0.02 };

/** Draws `n` points of the ring mixture, `[n, 2]`, from a seed. */
export function ringBatch(n: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const mode = tf.floor(tf.randomUniform([n], 0, RING.modes, 'float32', seed));
    const angle = tf.mul(mode, (2 * Math.PI) / RING.modes);
    const centres = tf.stack([tf.cos(angle), tf.sin(angle)], 1).mul(RING.radius);
    return tf.add(centres, tf.randomNormal([n, 2], 0, RING.stddev, 'float32', seed + 1));
  });
}

/** An endless stream of ring batches, each from the next seed. */
export function* ringBatches(batchSize: number, firstSeed: number): Generator<tf.Tensor2D> {
  for (let seed = firstSeed; ; seed += 2) yield ringBatch(batchSize, seed);
}

/** Generator `z [batch, 8] → points [batch, 2]`; discriminator `points → logit [batch, 1]`. */
export function ringModels(seed: number): {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
} {
  const dense = (units: number, offset: number, activation?: 'relu') =>
    tf.layers.dense({
      units,
      activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + offset }),
    });
  const generator = tf.sequential({
    name: 'generator',
    layers: [
      tf.layers.inputLayer({ inputShape: [LATENT_DIM] }),
      dense(64, 1, 'relu'),
      dense(64, 2, 'relu'),
      dense(2, 3),
    ],
  });
  const discriminator = tf.sequential({
    name: 'discriminator',
    layers: [
      tf.layers.inputLayer({ inputShape: [2] }),
      dense(64, 4),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      dense(64, 5),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      dense(1, 6),
    ],
  });
  return { generator, discriminator };
}

/**
 * A number that changes with any weight: the sum of `|w|` over both networks, read once.
 * Saving and loading must give back exactly the same value.
 */
export async function weightChecksum(models: tf.LayersModel[]): Promise<number> {
  const total = tf.tidy(() =>
    tf.addN(models.flatMap((m) => m.getWeights().map((w) => tf.sum(tf.abs(w))))),
  );
  const [value] = await total.data();
  total.dispose();
  return value;
}
