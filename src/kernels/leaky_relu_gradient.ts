import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

/**
 * Leaky ReLU's gradient as `dy · step(x, alpha)`: two element-wise kernels. TensorFlow.js's
 * own gradient is `where(x > 0, dy, dy · alpha)`, whose `where` copies its three operands
 * (an identity broadcast each) before selecting, so on `wasm` it costs several times more.
 * Both give the same float32 values: the factor is exactly 1 or `alpha`, and `dy · alpha` is
 * the same product. Only a NaN input differs: its gradient is NaN here, `dy · alpha` there.
 */
const fastLeakyReluGradient: GradConfig = {
  kernelName: tf.LeakyRelu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const alpha = (attrs as unknown as { alpha: number }).alpha;
    return { x: () => tf.mul(dy as tf.Tensor, tf.step(x, alpha)) };
  },
};

let stock: GradConfig | undefined;

/** Registers the fast leaky ReLU gradient, keeping the one it replaces. */
export function installLeakyReluGradient(): void {
  if (stock !== undefined) return;
  stock = tf.getGradient(tf.LeakyRelu);
  tf.registerGradient(fastLeakyReluGradient);
}

/** Puts back the gradient that {@link installLeakyReluGradient} replaced. */
export function restoreLeakyReluGradient(): void {
  if (stock === undefined) return;
  tf.registerGradient(stock);
  stock = undefined;
}
