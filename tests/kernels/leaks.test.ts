import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { conv2dBackpropFilterOn } from '../../src/kernels/conv2d_backprop_filter';
import { conv2dBackpropInputOn } from '../../src/kernels/conv2d_backprop_input';
import { createCpuHost, type CpuBackendLike } from '../../src/kernels/cpu_host';
import { installTrainingKernels, stockKernel } from '../../src/kernels/install';
import type { KernelHost } from '../../src/kernels/kernel_host';
import { createWasmHost, type WasmBackendLike } from '../../src/kernels/wasm_host';

function hostFor(backendName: string): KernelHost {
  const backend = tf.backend();
  if (backendName === 'cpu') return createCpuHost(backend as unknown as CpuBackendLike);
  return createWasmHost(
    backend as unknown as WasmBackendLike,
    stockKernel(tf.BatchMatMul, 'wasm')?.kernelFunc as KernelFunc,
    tf.getKernel(tf.Transpose, 'wasm')?.kernelFunc as KernelFunc,
  );
}

/**
 * Runs every installed kernel (chunked and not) once through a gradient and once directly,
 * disposing all it returns.
 */
function exercise(backendName: string): void {
  tf.tidy(() => {
    const x = tf.randomUniform([3, 9, 8, 4], -1, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.variable(tf.randomUniform([3, 3, 4, 5], -1, 1, 'float32', 2));
    const dense = tf.variable(tf.randomUniform([5 * 4 * 5, 2], -1, 1, 'float32', 3));
    const { grads, value } = tf.variableGrads(() => {
      const y = tf.conv2d(x, filter as tf.Tensor4D, 2, 'same');
      const back = tf.conv2dTranspose(y, filter as tf.Tensor4D, [3, 9, 8, 4], 2, 'same');
      const h = tf.reshape(tf.conv2d(back, filter as tf.Tensor4D, 2, 'same'), [3, 100]);
      return tf.sum(tf.matMul(h, dense as tf.Tensor2D));
    });
    tf.dispose([value, ...Object.values(grads)]);
    filter.dispose();
    dense.dispose();

    // Chunked paths: a 200-float limit splits the batch of 3 into single images.
    const host = hostFor(backendName);
    const attrs = { strides: 2, pad: 'same' as const, dataFormat: 'NHWC' as const };
    const dy = tf.randomUniform([3, 5, 4, 5], -1, 1, 'float32', 4);
    const kernel = tf.randomUniform([3, 3, 4, 5], -1, 1, 'float32', 5);
    const outputs: TensorInfo[] = [
      conv2dBackpropFilterOn(host, x, dy, { ...attrs, filterShape: [3, 3, 4, 5] }, 200),
      conv2dBackpropInputOn(host, dy, kernel, { ...attrs, inputShape: [3, 9, 8, 4] }, 200),
    ];
    for (const output of outputs) host.free(output);
  });
}

describe.each(['cpu', 'wasm'])('training kernels on %s', (backendName) => {
  it('leave no tensors and no backend buffers behind', async () => {
    await tf.setBackend(backendName);
    installTrainingKernels(backendName);
    exercise(backendName);
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const before = { memory: tf.memory(), dataIds: backend.numDataIds() };
    exercise(backendName);
    exercise(backendName);
    const after = { memory: tf.memory(), dataIds: backend.numDataIds() };
    expect(after.memory.numTensors).toBe(before.memory.numTensors);
    expect(after.memory.numDataBuffers).toBe(before.memory.numDataBuffers);
    expect(after.memory.numBytes).toBe(before.memory.numBytes);
    // The backend's own count includes kernel temporaries the engine never sees (im2col
    // buffers, transposed operands): on wasm every one of them is a heap allocation.
    expect(after.dataIds).toBe(before.dataIds);
  });
});
