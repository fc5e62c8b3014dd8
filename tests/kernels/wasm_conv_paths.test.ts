import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
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
  convCases,
  outputShape,
  relativeError,
  runStockCpu,
  seededValues,
  sizeOf,
} from './reference';

// Criterion everywhere: max|ours − stock| / max(|stock|) ≤ 1e-5 (see relativeError).
const TOLERANCE = 1e-5;

function attrsOf(c: ConvCase): NamedAttrMap {
  return {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: c.dimRoundingMode,
    inputShape: c.xShape,
    filterShape: c.filterShape,
  } as unknown as NamedAttrMap;
}

function valuesOf(c: ConvCase) {
  const dyShape = outputShape(c) as number[];
  return {
    x: { values: seededValues(sizeOf(c.xShape), 1), shape: [...c.xShape] },
    dy: { values: seededValues(sizeOf(dyShape), 2), shape: dyShape },
    filter: { values: seededValues(sizeOf(c.filterShape), 3), shape: [...c.filterShape] },
  };
}

function geometryOf(c: ConvCase) {
  return convGeometry(c.xShape, c.filterShape, attrsOf(c) as never);
}

let backend: WasmBackendLike;
let kernels: WasmConvKernels;

/** Runs a path on wasm tensors made from the case's values and reads the result back. */
function runPath(
  c: ConvCase,
  run: (t: Record<'x' | 'dy' | 'filter', TensorInfo>) => TensorInfo,
): Float32Array {
  return tf.tidy(() => {
    const v = valuesOf(c);
    const t = {
      x: tf.tensor(v.x.values, v.x.shape),
      dy: tf.tensor(v.dy.values, v.dy.shape),
      filter: tf.tensor(v.filter.values, v.filter.shape),
    };
    return tf.engine().makeTensorFromTensorInfo(run(t)).dataSync() as Float32Array;
  });
}

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
      const ours = runPath(c, (t) =>
        conv2dBackpropInputByPhases(backend, kernels, t.dy, t.filter, geometryOf(c)),
      );
      const { dy, filter } = valuesOf(c);
      const stock = runStockCpu(tf.Conv2DBackpropInput, { dy, filter }, attrsOf(c));
      expect(relativeError(ours, stock)).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it.each(filterCases.map((c) => [c.label, c] as const))(
    'filter gradient by convolution matches the stock cpu kernel: %s',
    (_, c) => {
      const ours = runPath(c, (t) =>
        conv2dBackpropFilterByConv(backend, kernels, t.x, t.dy, geometryOf(c)),
      );
      const { x, dy } = valuesOf(c);
      const stock = runStockCpu(tf.Conv2DBackpropFilter, { x, dy }, attrsOf(c));
      expect(relativeError(ours, stock)).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('refuses dilated convolutions', () => {
    const g = convGeometry([1, 9, 8, 3], [3, 3, 3, 4], { strides: 1, pad: 'same', dilations: 2 });
    expect(phasesApply(g)).toBe(false);
    expect(filterConvApplies(g)).toBe(false);
  });
});
