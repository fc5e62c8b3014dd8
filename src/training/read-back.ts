import * as tf from '@tensorflow/tfjs';

/** Backends whose tensors live in host memory, where a read waits for no device. */
const HOST_MEMORY_BACKENDS = new Set(['cpu', 'wasm', 'tensorflow']);

/**
 * Reads the values of several tensors together. On host-memory backends (`cpu`, `wasm`,
 * `tensorflow`) each is read as it is: a read there waits for no device, and packing them
 * first would cost kernels for nothing (about 50 µs of a 7.5 ms MLP GAN step on `wasm`). On GPU backends,
 * where every read waits for the device, they are packed into one tensor and read once.
 *
 * @param tensors - Tensors to read; they stay owned by the caller.
 * @param packed - Whether to pack them into one read.
 * @defaultValue packed = `true` unless the active backend keeps tensors in host memory
 * @returns Each tensor's values, flattened, in order.
 */
export async function readTogether(
  tensors: tf.Tensor[],
  packed = !HOST_MEMORY_BACKENDS.has(tf.getBackend()),
): Promise<Float32Array[]> {
  if (!packed) return Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  const all = tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(tf.cast(t, 'float32'), [-1]))));
  try {
    const values = (await all.data()) as Float32Array;
    let at = 0;
    return tensors.map((t) => values.subarray(at, (at += t.size)));
  } finally {
    all.dispose();
  }
}

/** The mean of `sigmoid(v)` over `values` (a discriminator's mean score), in float64. */
export function meanSigmoid(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += 1 / (1 + Math.exp(-values[i]));
  return sum / values.length;
}
