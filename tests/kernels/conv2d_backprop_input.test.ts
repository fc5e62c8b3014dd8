import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dBackpropInputOn } from '../../src/kernels/conv2d_backprop_input';
import { createCpuHost, type CpuBackendLike } from '../../src/kernels/cpu_host';
import { installTrainingKernels, stockKernel } from '../../src/kernels/install';
import type { KernelHost } from '../../src/kernels/kernel_host';
import { createWasmHost, type WasmBackendLike } from '../../src/kernels/wasm_host';
import {
  CHUNK_FLOATS,
  CHUNKED_CASE,
  type ConvCase,
  caseAttrs,
  convCases,
  dilatedCases,
  relativeError,
  runCase,
  runInstalled,
  stockConv,
} from './reference';

// Criterion everywhere: max|ours − stock| / max(|stock|) ≤ 1e-5 (see relativeError).
const TOLERANCE = 1e-5;

function ours(c: ConvCase): Float32Array {
  const out = runInstalled(tf.Conv2DBackpropInput, c);
  expect(out.shape).toEqual(c.xShape);
  return out.values;
}

function stock(c: ConvCase): Float32Array {
  return stockConv(tf.Conv2DBackpropInput, c);
}

function hostFor(backendName: string): KernelHost {
  const backend = tf.findBackend(backendName);
  if (backendName === 'cpu') return createCpuHost(backend as unknown as CpuBackendLike);
  return createWasmHost(
    backend as unknown as WasmBackendLike,
    stockKernel(tf.BatchMatMul, 'wasm')?.kernelFunc as KernelFunc,
    tf.getKernel(tf.Transpose, 'wasm')?.kernelFunc as KernelFunc,
  );
}

describe.each(['cpu', 'wasm'])('Conv2DBackpropInput on %s', (backendName) => {
  beforeAll(async () => {
    await tf.setBackend(backendName);
    installTrainingKernels(backendName);
  });

  it.each(convCases().map((c) => [c.label, c] as const))(
    'matches the stock cpu kernel: %s',
    (_, c) => {
      expect(relativeError(ours(c), stock(c))).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it.each(dilatedCases().map((c) => [c.label, c] as const))(
    'matches the stock cpu kernel with the zero-inserted filter: %s',
    (_, c) => {
      expect(relativeError(ours(c), stock(c))).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('processes chunks of images when the column buffer would be too large', () => {
    const c = CHUNKED_CASE;
    const attrs = caseAttrs(c) as unknown as Parameters<typeof conv2dBackpropInputOn>[3];
    const result = runCase(c, (t) =>
      conv2dBackpropInputOn(hostFor(backendName), t.dy, t.filter, attrs, CHUNK_FLOATS),
    ).values;
    expect(relativeError(result, stock(c))).toBeLessThanOrEqual(TOLERANCE);
  });
});
