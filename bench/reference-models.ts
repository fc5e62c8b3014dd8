/**
 * The reference models of ../shared/bench/README.md, built with tfjs-gan and tf.sequential, so
 * every bench script times the same networks as the PyTorch peer.
 */
import * as tf from '@tensorflow/tfjs';
import { DCGAN } from '../src/models/dcgan';

/** Generator and discriminator of one reference GAN. */
export interface ReferenceGan {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  latentDim: number;
  batchSize: number;
  dispose(): void;
}

/**
 * Reference DCGAN: batch norm in the generator only, leaky ReLU 0.2 in both networks, 5×5
 * stride-2 (transposed) convolutions, 64 base filters, 28×28×1 images, batch 64.
 */
export function referenceDcgan(seed: number): ReferenceGan {
  const gan = new DCGAN({
    imageShape: [28, 28, 1],
    baseFilters: 64,
    generatorActivation: 'leakyRelu',
    generatorNorm: 'batch',
    discriminatorNorm: 'none',
    leakyReluAlpha: 0.2,
    seed,
  });
  return {
    generator: gan.generator,
    discriminator: gan.discriminator,
    latentDim: 100,
    batchSize: 64,
    dispose: () => gan.dispose(),
  };
}

function mlp(inputs: number, outputs: number, seed: number): tf.Sequential {
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: seed + offset });
  return tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [inputs],
        units: 128,
        activation: 'relu',
        kernelInitializer: init(0),
      }),
      tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.dense({ units: outputs, kernelInitializer: init(2) }),
    ],
  });
}

/** Reference MLP GAN: 2→128→128→2 generator, 2→128→128→1 discriminator, ReLU, batch 256. */
export function referenceMlpGan(seed: number): ReferenceGan {
  const generator = mlp(2, 2, seed);
  const discriminator = mlp(2, 1, seed + 10);
  return {
    generator,
    discriminator,
    latentDim: 2,
    batchSize: 256,
    dispose: () => {
      generator.dispose();
      discriminator.dispose();
    },
  };
}

/** A batch from the ring of 8 Gaussians (radius 2, standard deviation 0.02), `[n, 2]`. */
export function ringBatch(n: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const mode = tf.floor(tf.randomUniform([n], 0, 8, 'float32', seed));
    const angle = tf.mul(mode, (2 * Math.PI) / 8);
    const centres = tf.stack([tf.mul(tf.cos(angle), 2), tf.mul(tf.sin(angle), 2)], 1);
    return tf.add(centres, tf.randomNormal([n, 2], 0, 0.02, 'float32', seed + 1)) as tf.Tensor2D;
  });
}
