import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

/**
 * Kernels whose output is piecewise constant in their inputs (comparisons and logical ops),
 * so their gradient is zero almost everywhere, but which have no gradient registered in
 * TensorFlow.js 4.22. Each kernel is listed with the names of its inputs.
 */
const ZERO_GRADIENT_KERNELS: Readonly<Record<string, readonly string[]>> = {
  Greater: ['a', 'b'],
  Less: ['a', 'b'],
  LessEqual: ['a', 'b'],
  Equal: ['a', 'b'],
  NotEqual: ['a', 'b'],
  LogicalAnd: ['a', 'b'],
  LogicalOr: ['a', 'b'],
  LogicalXor: ['a', 'b'],
  LogicalNot: ['x'],
};

function zeroGradient(kernelName: string, inputNames: readonly string[]): GradConfig {
  return {
    kernelName,
    inputsToSave: [...inputNames],
    // Gradients must be float32 and shaped like each input, whatever the input's dtype.
    gradFunc: (_dy, saved) =>
      Object.fromEntries(
        inputNames.map((name, i) => [name, () => tf.zeros(saved[i].shape, 'float32')]),
      ),
  };
}

/**
 * Registers a zero gradient for the comparison and logical kernels that have none in
 * TensorFlow.js 4.22, so second-order gradients (a gradient penalty) can pass through
 * activations whose gradient uses them, such as leaky ReLU (`Greater`) and ReLU6
 * (`LessEqual`).
 *
 * The gradient of `Greater(a, b)`, `Less`, `LessEqual`, `Equal`, `NotEqual`, `LogicalAnd`,
 * `LogicalOr`, `LogicalXor` and `LogicalNot` is `0` for every input, which is the exact
 * derivative of a step-shaped function away from its jumps (the usual convention, as for
 * `GreaterEqual`, `Sign`, `Step`, `Floor`, `Ceil` and `Round`, which TensorFlow.js already
 * covers).
 *
 * @returns the names of the kernels registered by this call; empty when every one of them
 *   already has a gradient (after a first call, or when TensorFlow.js adds its own).
 * @remarks This is a global side effect on the TensorFlow.js gradient registry, shared by
 *   every backend and every caller in the process. It never replaces a gradient that is
 *   already registered, so calling it again, or after a newer TensorFlow.js has registered
 *   its own, changes nothing. The penalties of this library ({@link gradientPenalty},
 *   {@link r1Penalty}, {@link r2Penalty}, {@link draganPenalty}) call it before taking
 *   gradients; call it yourself before taking second-order gradients in your own code.
 *   Kernels that still have no gradient in TensorFlow.js 4.22 and so cannot appear inside a
 *   second-order gradient include `EluGrad` (ELU), `MaxPoolGrad` and `AvgPoolGrad` (pooling
 *   layers) and `Conv2DBackpropFilter` (a third-order gradient of a convolution).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { registerSecondOrderGradients } from 'tfjs-gan';
 * registerSecondOrderGradients();
 * const w = tf.variable(tf.tensor1d([0.5]));
 * const critic = (x: tf.Tensor) => tf.sum(tf.leakyRelu(tf.mul(x, w), 0.2));
 * // d/dw of the squared input gradient: through LeakyRelu's gradient, which uses Greater.
 * const squaredSlope = () => tf.sum(tf.square(tf.grad(critic)(tf.tensor1d([1])))) as tf.Scalar;
 * const { grads } = tf.variableGrads(squaredSlope);
 * grads[w.name].print(); // 2·w = [1]
 * ```
 * @category Kernels
 */
export function registerSecondOrderGradients(): string[] {
  const registered: string[] = [];
  for (const [kernelName, inputNames] of Object.entries(ZERO_GRADIENT_KERNELS)) {
    if (tf.getGradient(kernelName) != null) continue;
    tf.registerGradient(zeroGradient(kernelName, inputNames));
    registered.push(kernelName);
  }
  return registered;
}
