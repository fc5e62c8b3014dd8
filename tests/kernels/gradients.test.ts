import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { installTrainingKernels, trainingKernelsInstalled } from '../../src/kernels/install';
import { relativeError, seededValues, sizeOf } from './reference';

const SHAPES = {
  x: [2, 8, 8, 3],
  conv: [3, 3, 3, 4], // [kh, kw, in, out]: 8×8×3 → 4×4×4 at stride 2
  deconv: [4, 4, 2, 4], // [kh, kw, out, in]: 4×4×4 → 8×8×2 at stride 2
  dense: [128, 5], // 8·8·2 = 128 features → 5
  target: [2, 5],
} as const;

/** Gradients of a tiny conv → transposed conv → dense net on the active backend. */
async function gradients(): Promise<Record<string, Float32Array>> {
  const values = (name: keyof typeof SHAPES, seed: number, scale: number) =>
    seededValues(sizeOf(SHAPES[name]), seed).map((v) => v * scale);
  const x = tf.tensor(values('x', 11, 1), [...SHAPES.x]) as tf.Tensor4D;
  const target = tf.tensor(values('target', 12, 1), [...SHAPES.target]);
  const weights = {
    conv: tf.variable(tf.tensor(values('conv', 13, 0.3), [...SHAPES.conv]), true, 'conv'),
    deconv: tf.variable(tf.tensor(values('deconv', 14, 0.3), [...SHAPES.deconv]), true, 'deconv'),
    dense: tf.variable(tf.tensor(values('dense', 15, 0.2), [...SHAPES.dense]), true, 'dense'),
  };
  const { grads, value } = tf.variableGrads(() => {
    const hidden = tf.relu(tf.conv2d(x, weights.conv as tf.Tensor4D, 2, 'same'));
    const image = tf.tanh(
      tf.conv2dTranspose(hidden, weights.deconv as tf.Tensor4D, [2, 8, 8, 2], 2, 'same'),
    );
    const logits = tf.matMul(tf.reshape(image, [2, 128]), weights.dense as tf.Tensor2D);
    return tf.sum(tf.square(tf.sub(logits, target)));
  });
  const result: Record<string, Float32Array> = {};
  for (const [name, gradient] of Object.entries(grads)) {
    result[name] = (await gradient.data()) as Float32Array;
  }
  tf.dispose([x, target, value, ...Object.values(grads), ...Object.values(weights)]);
  return result;
}

describe('training kernels in a full gradient', () => {
  it('give the gradients of the stock cpu kernels on wasm, within 1e-4', async () => {
    await tf.setBackend('cpu');
    expect(trainingKernelsInstalled('cpu')).toBe(false);
    const stock = await gradients();

    await tf.setBackend('wasm');
    installTrainingKernels('wasm');
    const ours = await gradients();

    expect(Object.keys(ours).sort()).toEqual(['conv', 'deconv', 'dense']);
    for (const name of Object.keys(stock)) {
      // max|ours − stock| / max(|stock|): float32 rounding through three layers, well under 1e-4.
      expect(relativeError(ours[name], stock[name]), name).toBeLessThanOrEqual(1e-4);
    }
  });
});
