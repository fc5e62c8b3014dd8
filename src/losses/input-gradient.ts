/**
 * The gradient of a critic with respect to its input, per sample, on the current tape, so
 * that a penalty built from it reaches the critic's weights. Internal.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { checkFunction, checkPerSampleShape, checkTensor } from '../errors';
import { registerSecondOrderGradients } from '../kernels/gradients';

/**
 * A discriminator (critic) as a function from samples `[batch, ...]` to logits `[batch]` or
 * `[batch, 1]`, e.g. `(x) => model.apply(x, { training: true }) as tf.Tensor`.
 *
 * @category Losses
 */
export type Critic = (samples: tf.Tensor) => tf.Tensor;

/** Checks a critic and a sample batch (rank >= 1, batch >= 1) at a public boundary. */
export function checkCriticInput(where: string, critic: unknown, name: string, x: unknown): void {
  checkFunction(where, 'critic', critic);
  checkTensor(where, name, x);
  const shape = (x as tf.Tensor).shape;
  if (shape.length === 0 || shape[0] < 1) {
    throw new RangeError(
      `${where}: ${name} must have a batch axis of size >= 1, got shape [${shape.join(',')}].`,
    );
  }
}

/**
 * `∇ₓ sum(critic(x))` flattened to `[batch, features]`. Summing the outputs gives each
 * sample's own gradient as long as the critic treats samples independently.
 */
export function flatInputGradient(where: string, critic: Critic, x: tf.Tensor): tf.Tensor2D {
  registerSecondOrderGradients();
  const batch = x.shape[0];
  const gradient = tf.grad((samples: tf.Tensor) => {
    const logits = critic(samples);
    checkTensor(where, "the critic's output", logits);
    checkPerSampleShape(where, "the critic's output", logits.shape, batch);
    return tf.sum(logits);
  })(x);
  // [batch, ...sample shape] → [batch, features]: the norm is per sample over all other axes.
  return tf.reshape(gradient, [batch, -1]);
}

/** `sqrt(sum(g²) + epsilon)` per row of `[batch, features]` → `[batch]`. */
export function safeNorms(gradient: tf.Tensor2D, epsilon: number): tf.Tensor1D {
  // The epsilon inside the root keeps d‖g‖/dg = g/‖g‖ finite (zero) when g = 0.
  return tf.sqrt(tf.add(tf.sum(tf.square(gradient), 1), epsilon)) as tf.Tensor1D;
}
