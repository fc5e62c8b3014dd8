import * as tf from '@tensorflow/tfjs';

/**
 * The kernel as the matrix whose largest singular value spectral normalisation divides by,
 * `[fanIn, outChannels]`: dense `[in, units]` as is, conv `[kh, kw, in, filters]` reshaped to
 * `[kh·kw·in, filters]`, transposed conv `[kh, kw, filters, in]` moved to
 * `[kh, kw, in, filters]` first.
 */
export function kernelMatrix(kernel: tf.Tensor, transposedConv: boolean): tf.Tensor2D {
  return tf.tidy(() => {
    const moved = transposedConv ? tf.transpose(kernel, [0, 1, 3, 2]) : kernel;
    const outChannels = moved.shape[moved.rank - 1];
    return tf.reshape(moved, [-1, outChannels]) as tf.Tensor2D;
  });
}

/** `x / max(‖x‖₂, ε)` for a vector. */
function unit(x: tf.Tensor1D, epsilon: number): tf.Tensor1D {
  return tf.div(x, tf.maximum(tf.norm(x), epsilon));
}

/** `K·x` for `K` `[m, n]` and `x` `[n]`, as `[m]`. */
function times(matrix: tf.Tensor2D, x: tf.Tensor1D): tf.Tensor1D {
  return tf.squeeze(tf.matMul(matrix, tf.expandDims(x, 1)), [1]);
}

/**
 * `steps` power-iteration steps from `u` (`[outChannels]`): `v = unit(K·û)`,
 * `û = unit(Kᵀ·v)`; returns the new unit `û`.
 */
export function powerIteration(
  matrix: tf.Tensor2D,
  u: tf.Tensor,
  steps: number,
  epsilon: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    let current = unit(u as tf.Tensor1D, epsilon);
    const transposed = tf.transpose(matrix);
    for (let i = 0; i < steps; i++) {
      const v = unit(times(matrix, current), epsilon);
      current = unit(times(transposed, v), epsilon);
    }
    return current;
  });
}

/** `σ = max(‖K·û‖₂, ε)` with `û = u / ‖u‖`: the largest singular value when `û` has converged. */
export function spectralNormEstimate(
  matrix: tf.Tensor2D,
  u: tf.Tensor,
  epsilon: number,
): tf.Scalar {
  return tf.tidy(() => {
    const image = times(matrix, unit(u as tf.Tensor1D, epsilon));
    return tf.maximum(tf.norm(image), epsilon);
  });
}
