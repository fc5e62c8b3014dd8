/**
 * A hand-written GAN training step over the same models and optimisers as the Trainer: what a
 * user would write with `tf.variableGrads`, used to measure the Trainer's own overhead.
 */
import * as tf from '@tensorflow/tfjs';
import {
  crossEntropyDiscriminatorLoss,
  nonSaturatingGeneratorLoss,
} from '../../src/losses/cross-entropy';
import type { ReferenceGan } from '../reference-models';

/** One D update (real and G(z) as separate batches) then one G update, like `Trainer.step`. */
export class HandLoop {
  private readonly generatorOptimizer = tf.train.adam(2e-4, 0.5);
  private readonly discriminatorOptimizer = tf.train.adam(2e-4, 0.5);
  private seed: number;

  constructor(
    private readonly gan: ReferenceGan,
    seed: number,
  ) {
    this.seed = seed;
  }

  async step(real: tf.Tensor): Promise<[number, number]> {
    const { generator, discriminator } = this.gan;
    const z = tf.randomNormal([real.shape[0], this.gan.latentDim], 0, 1, 'float32', this.seed++);
    const dVars = discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
    const gVars = generator.trainableWeights.map((w) => w.read() as tf.Variable);
    const d = tf.tidy(() => {
      const fake = generator.apply(z, { training: true }) as tf.Tensor;
      return tf.variableGrads(() => {
        const realLogits = discriminator.apply(real, { training: true }) as tf.Tensor;
        const fakeLogits = discriminator.apply(fake, { training: true }) as tf.Tensor;
        return crossEntropyDiscriminatorLoss(realLogits, fakeLogits) as tf.Scalar;
      }, dVars);
    });
    const [dLoss] = await d.value.data();
    this.discriminatorOptimizer.applyGradients(d.grads as never);
    tf.dispose([d.value, d.grads]);
    const g = tf.tidy(() =>
      tf.variableGrads(() => {
        const fake = generator.apply(z, { training: true }) as tf.Tensor;
        const fakeLogits = discriminator.apply(fake, { training: true }) as tf.Tensor;
        return nonSaturatingGeneratorLoss(fakeLogits) as tf.Scalar;
      }, gVars),
    );
    const [gLoss] = await g.value.data();
    this.generatorOptimizer.applyGradients(g.grads as never);
    tf.dispose([g.value, g.grads, z]);
    return [dLoss, gLoss];
  }

  dispose(): void {
    this.generatorOptimizer.dispose();
    this.discriminatorOptimizer.dispose();
  }
}
