import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { convGeometry } from '../../src/kernels/conv_geometry';
import {
  conv2dBackpropFilterByConv,
  conv2dBackpropInputByPhases,
  filterConvApplies,
  phasesApply,
  type WasmConvKernels,
} from '../../src/kernels/wasm_conv_paths';
import type { WasmBackendLike } from '../../src/kernels/wasm_host';
import {
  type ConvCase,
  caseAttrs,
  caseValues,
  convCases,
  relativeError,
  runCase,
  stockConv,
} from './reference';

// Criterion everywhere: max|ours − stock| / max(|stock|) ≤ 1e-5 (see relativeError).
const TOLERANCE = 1e-5;

function geometryOf(c: ConvCase) {
  return convGeometry(c.xShape, c.filterShape, caseAttrs(c) as never);
}

let backend: WasmBackendLike;
let kernels: WasmConvKernels;

describe('wasm convolution paths', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    backend = tf.backend() as unknown as WasmBackendLike;
    kernels = {
      conv2d: tf.getKernel(tf.Conv2D, 'wasm')?.kernelFunc as KernelFunc,
      transpose: tf.getKernel(tf.Transpose, 'wasm')?.kernelFunc as KernelFunc,
    };
  });

  const phaseCases = convCases().filter((c) => phasesApply(geometryOf(c)));
  const filterCases = convCases().filter((c) => filterConvApplies(geometryOf(c)));

  it('cover most of the matrix, including the reference DCGAN layers', () => {
    // 90 grid cases + 3 padding cases; the rest fall back to im2col.
    expect(phaseCases.length).toBeGreaterThan(60);
    expect(filterCases.length).toBeGreaterThan(45);
    const reference = convGeometry([64, 14, 14, 64], [5, 5, 64, 128], { strides: 2, pad: 'same' });
    expect(phasesApply(reference) && filterConvApplies(reference)).toBe(true);
  });

  it.each(phaseCases.map((c) => [c.label, c] as const))(
    'input gradient by phases matches the stock cpu kernel: %s',
    (_, c) => {
      const ours = runCase(c, (t) =>
        conv2dBackpropInputByPhases(backend, kernels, t.dy, t.filter, geometryOf(c)),
      );
      expect(relativeError(ours.values, stockConv(tf.Conv2DBackpropInput, c))).toBeLessThanOrEqual(
        TOLERANCE,
      );
    },
  );

  it.each(filterCases.map((c) => [c.label, c] as const))(
    'filter gradient by convolution matches the stock cpu kernel: %s',
    (_, c) => {
      const ours = runCase(c, (t) =>
        conv2dBackpropFilterByConv(backend, kernels, t.x, t.dy, geometryOf(c)),
      );
      expect(relativeError(ours.values, stockConv(tf.Conv2DBackpropFilter, c))).toBeLessThanOrEqual(
        TOLERANCE,
      );
    },
  );

  it('refuses dilated convolutions', () => {
    const g = convGeometry([1, 9, 8, 3], [3, 3, 3, 4], { strides: 1, pad: 'same', dilations: 2 });
    expect(phasesApply(g)).toBe(false);
    expect(filterConvApplies(g)).toBe(false);
  });
});
