import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  installTrainingKernels,
  stockKernel,
  trainingKernelsInstalled,
  uninstallTrainingKernels,
} from '../../src/kernels/install';

// This file imports the wasm backend only after the first test, to see the error raised when
// it is missing; vitest runs each test file in its own process, so no other file interferes.
describe('installTrainingKernels', () => {
  it('refuses a backend that is not registered yet, naming the package to import', () => {
    expect(() => installTrainingKernels('wasm')).toThrow(
      new Error(
        "installTrainingKernels: backend 'wasm' is not registered; " +
          "import '@tensorflow/tfjs-backend-wasm' first.",
      ),
    );
    expect(trainingKernelsInstalled('wasm')).toBe(false);
  });

  it('does nothing for backends that already have fast kernels', () => {
    const before = tf.getKernel(tf.Conv2DBackpropFilter, 'webgl');
    installTrainingKernels('webgl');
    installTrainingKernels('tensorflow');
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'webgl')).toBe(before);
    expect(trainingKernelsInstalled('webgl')).toBe(false);
  });

  it('installs for the active backend by default, once, and restores the stock configs', () => {
    expect(tf.getBackend()).toBe('cpu');
    const stockFilter = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu');
    const stockInput = tf.getKernel(tf.Conv2DBackpropInput, 'cpu');
    const stockMatMul = tf.getKernel(tf.BatchMatMul, 'cpu');
    const stockConv = tf.getKernel(tf.Conv2D, 'cpu');
    expect(stockFilter).toBeDefined();

    installTrainingKernels();
    const ours = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu');
    expect(ours).not.toBe(stockFilter);
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'cpu')).not.toBe(stockInput);
    expect(tf.getKernel(tf.Conv2D, 'cpu')).not.toBe(stockConv);
    // cpu keeps its BatchMatMul: only wasm's is slow with transpose flags.
    expect(tf.getKernel(tf.BatchMatMul, 'cpu')).toBe(stockMatMul);
    expect(trainingKernelsInstalled('cpu')).toBe(true);
    expect(stockKernel(tf.Conv2DBackpropFilter, 'cpu')).toBe(stockFilter);

    installTrainingKernels('cpu');
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'cpu')).toBe(ours);

    uninstallTrainingKernels();
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'cpu')).toBe(stockFilter);
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'cpu')).toBe(stockInput);
    expect(tf.getKernel(tf.Conv2D, 'cpu')).toBe(stockConv);
    expect(trainingKernelsInstalled('cpu')).toBe(false);
    uninstallTrainingKernels('cpu');
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'cpu')).toBe(stockFilter);
  });

  it('installs on wasm before the backend initialises, keeping the stock setup functions', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    expect(tf.engine().registry['wasm']).toBeUndefined();
    const stockMatMul = tf.getKernel(tf.BatchMatMul, 'wasm');
    const stockInput = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeUndefined();

    installTrainingKernels('wasm');
    expect(trainingKernelsInstalled('wasm')).toBe(true);
    const ourMatMul = tf.getKernel(tf.BatchMatMul, 'wasm');
    expect(ourMatMul).not.toBe(stockMatMul);
    expect(ourMatMul?.setupFunc).toBe(stockMatMul?.setupFunc);
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.setupFunc).toBe(stockInput?.setupFunc);
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();

    // Initialising the backend now runs the stock setup functions through our configs.
    await tf.setBackend('wasm');
    // aᵀ·b with a = [[1, 2], [3, 4]], b = [[5, 6], [7, 8]] = [[26, 30], [38, 44]];
    // x·yᵀ with x = [[1, 2]], y = [[3, 4], [5, 6]] = [[1·3 + 2·4, 1·5 + 2·6]] = [[11, 17]].
    const [product, productT] = tf.tidy(() => [
      tf
        .matMul(
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          tf.tensor2d([
            [5, 6],
            [7, 8],
          ]),
          true,
        )
        .arraySync(),
      tf
        .matMul(
          tf.tensor2d([[1, 2]]),
          tf.tensor2d([
            [3, 4],
            [5, 6],
          ]),
          false,
          true,
        )
        .arraySync(),
    ]);
    expect(product).toEqual([
      [26, 30],
      [38, 44],
    ]);
    expect(productT).toEqual([[11, 17]]);
    // A 1×1 filter over a 1×1×2 image: dW[0, 0, c, 0] = x[c]·dy = [2·3, 5·3] = [6, 15].
    const filterGradient = tf.tidy(() =>
      (
        tf
          .engine()
          .runKernel(
            tf.Conv2DBackpropFilter,
            { x: tf.tensor4d([2, 5], [1, 1, 1, 2]), dy: tf.tensor4d([3], [1, 1, 1, 1]) },
            { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [1, 1, 2, 1] },
          ) as tf.Tensor
      ).arraySync(),
    );
    expect(filterGradient).toEqual([[[[6], [15]]]]);

    uninstallTrainingKernels('wasm');
    expect(tf.getKernel(tf.BatchMatMul, 'wasm')).toBe(stockMatMul);
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')).toBe(stockInput);
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeUndefined();
    expect(trainingKernelsInstalled('wasm')).toBe(false);
  });

  // Last in the file: it resets the engine, so no backend is active afterwards.
  it('asks for a backend when none is active and no name is given', () => {
    tf.engine().reset();
    expect(tf.getBackend()).toBeFalsy();
    expect(() => installTrainingKernels()).toThrow(
      new Error(
        'installTrainingKernels: no backend is active yet; await tf.setBackend(name) first, ' +
          'or pass the backend name.',
      ),
    );
    expect(trainingKernelsInstalled()).toBe(false);
  });
});
