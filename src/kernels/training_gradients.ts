import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

/**
 * Leaky ReLU's gradient as `dy · step(x, alpha)`: two element-wise kernels. TensorFlow.js's
 * own gradient is `where(x > 0, dy, dy · alpha)`, whose `where` copies its three operands
 * (an identity broadcast each) before selecting, so on `wasm` it costs several times more.
 * Both give the same float32 values: the factor is exactly 1 or `alpha`, and `dy · alpha` is
 * the same product. Only a NaN input differs: its gradient is NaN here, `dy · alpha` there.
 */
const leakyReluGradient: GradConfig = {
  kernelName: tf.LeakyRelu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const alpha = (attrs as unknown as { alpha: number }).alpha;
    return { x: () => tf.mul(dy as tf.Tensor, tf.step(x, alpha)) };
  },
};

/**
 * Tile's gradient as one reshape and one sum: `dy [r0·s0, r1·s1, ...]` viewed as
 * `[r0, s0, r1, s1, ...]` and summed over the repetition axes. TensorFlow.js's own gradient
 * adds one slice of `dy` per repetition, thousands of kernels for layer normalisation's
 * statistics tiled over a feature map, and it supports ranks 1 to 4 only. The sums agree up
 * to float rounding (the order of the additions differs).
 */
const tileGradient: GradConfig = {
  kernelName: tf.Tile,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const reps = (attrs as unknown as { reps: number[] }).reps;
    return {
      x: () => {
        // [r0·s0, r1·s1, ...] -> [r0, s0, r1, s1, ...], summed over the even axes.
        const split = x.shape.flatMap((size, i) => [reps[i], size]);
        const axes = x.shape.map((_, i) => 2 * i);
        return tf.reshape(tf.sum(tf.reshape(dy as tf.Tensor, split), axes), x.shape);
      },
    };
  },
};

const REPLACED = [leakyReluGradient, tileGradient];
let stock: GradConfig[] | undefined;

/** Registers the training gradients, keeping the ones they replace. */
export function installTrainingGradients(): void {
  if (stock !== undefined) return;
  stock = REPLACED.map((config) => tf.getGradient(config.kernelName));
  for (const config of REPLACED) tf.registerGradient(config);
}

/** Puts back the gradients that {@link installTrainingGradients} replaced. */
export function restoreTrainingGradients(): void {
  if (stock === undefined) return;
  for (const config of stock) tf.registerGradient(config);
  stock = undefined;
}
