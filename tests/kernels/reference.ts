import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { stockKernel } from '../../src/kernels/install';

/** A float32 array filled from a fixed-seed linear congruential stream in [-1, 1). */
export function seededValues(size: number, seed: number): Float32Array {
  const values = new Float32Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs the stock wasm kernel saved at installation on the given inputs. */
export function stockWasm(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs: object = {},
): tf.Tensor {
  const config = stockKernel(kernelName, 'wasm');
  if (config == null) throw new Error(`no stock wasm ${kernelName}`);
  const info = config.kernelFunc({ inputs, backend: tf.backend(), attrs: attrs as never });
  return tf.engine().makeTensorFromTensorInfo(info as tf.TensorInfo);
}

/** Runs the stock cpu kernel (saved before installation) directly on raw values. */
export function runStockCpu(
  kernelName: string,
  inputs: Record<string, { values: Float32Array; shape: number[] }>,
  attrs: NamedAttrMap,
): Float32Array {
  const backend = tf.findBackend('cpu') as unknown as {
    makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
    readSync(dataId: object): Float32Array;
    disposeData(dataId: object): boolean;
  };
  const config = stockKernel(kernelName, 'cpu');
  if (config == null) throw new Error(`no stock cpu kernel ${kernelName}`);
  const infos: Record<string, TensorInfo> = {};
  for (const [name, { values, shape }] of Object.entries(inputs)) {
    infos[name] = backend.makeTensorInfo(shape, 'float32', values);
  }
  const out = config.kernelFunc({ inputs: infos, backend, attrs }) as TensorInfo;
  const result = backend.readSync(out.dataId).slice();
  for (const info of Object.values(infos)) backend.disposeData(info.dataId);
  backend.disposeData(out.dataId);
  return result;
}

/**
 * Criterion used by every kernel comparison: max|ours − stock| / max(|stock|). Both compute the
 * same sums of float32 products in different orders, so they agree to float32 rounding, a few
 * units of 1e-7 relative to the largest value; 1e-5 leaves room for long sums.
 */
export function relativeError(ours: ArrayLike<number>, stock: ArrayLike<number>): number {
  if (ours.length !== stock.length) {
    throw new Error(`length mismatch: ours ${ours.length}, stock ${stock.length}`);
  }
  let maxDiff = 0;
  let maxStock = 0;
  for (let i = 0; i < stock.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(ours[i] - stock[i]));
    maxStock = Math.max(maxStock, Math.abs(stock[i]));
  }
  return maxStock === 0 ? maxDiff : maxDiff / maxStock;
}

/** One convolution geometry of the test matrix. */
export interface ConvCase {
  label: string;
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: number;
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number;
}

// [inChannels, outChannels]; 64 is kept to one side so the stock cpu reference stays fast.
const CHANNELS: Array<[number, number]> = [
  [1, 3],
  [3, 64],
  [64, 1],
  [4, 5],
  [64, 3],
];

/**
 * The grid of small shapes: strides 1, 2, 3 × kernel sizes 1 to 5 × 'same'/'valid' × odd,
 * even and non-square images, with batch (1 or 7) and the channel pairs rotating through the
 * cases (with five pairs, 2 and 5 are coprime, so every batch meets every channel pair).
 */
export function gridCases(channels: Array<[number, number]>): ConvCase[] {
  const cases: ConvCase[] = [];
  const spatial: Array<[number, number]> = [
    [7, 7],
    [8, 8],
    [7, 6],
  ];
  let index = 0;
  for (const strides of [1, 2, 3]) {
    for (const kernel of [1, 2, 3, 4, 5]) {
      for (const pad of ['same', 'valid'] as const) {
        for (const [height, width] of spatial) {
          const [inChannels, outChannels] = channels[index % channels.length];
          const batch = index % 2 === 0 ? 1 : 7;
          index++;
          cases.push({
            label: `s${strides} k${kernel} ${pad} ${batch}×${height}×${width}×${inChannels}→${outChannels}`,
            xShape: [batch, height, width, inChannels],
            filterShape: [kernel, kernel, inChannels, outChannels],
            strides,
            pad,
          });
        }
      }
    }
  }
  return cases;
}

/**
 * Numeric ('round', 'floor') and explicit padding, with 3, 2 and 4 input channels and the
 * given output channels (4, 3 and 2 when none are given).
 */
export function paddingCases(outChannels?: number): ConvCase[] {
  const out = (fallback: number) => outChannels ?? fallback;
  return [
    {
      label: 'pad 1 s2 k3 round',
      xShape: [2, 8, 7, 3],
      filterShape: [3, 3, 3, out(4)],
      strides: 2,
      pad: 1,
      dimRoundingMode: 'round',
    },
    {
      label: 'pad 2 s1 k5 floor',
      xShape: [1, 6, 6, 2],
      filterShape: [5, 5, 2, out(3)],
      strides: 1,
      pad: 2,
      dimRoundingMode: 'floor',
    },
    {
      label: 'explicit pad s2 k4',
      xShape: [3, 9, 8, 4],
      filterShape: [4, 4, 4, out(2)],
      strides: 2,
      pad: [
        [0, 0],
        [1, 2],
        [2, 1],
        [0, 0],
      ],
    },
  ];
}

/**
 * The matrix of small shapes: the grid with channels 1, 3, 4, 5 and 64, plus numeric and
 * explicit padding.
 */
export function convCases(): ConvCase[] {
  return [...gridCases(CHANNELS), ...paddingCases()];
}

/**
 * Runs a kernel path on the active backend, on tensors made from a case's values (see {@link caseValues}), and
 * reads its result back.
 */
export function runCase(
  c: ConvCase,
  run: (t: Record<'x' | 'dy' | 'filter', TensorInfo>) => TensorInfo,
): { values: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const v = caseValues(c);
    const t = {
      x: tf.tensor(v.x.values, v.x.shape),
      dy: tf.tensor(v.dy.values, v.dy.shape),
      filter: tf.tensor(v.filter.values, v.filter.shape),
    };
    const out = tf.engine().makeTensorFromTensorInfo(run(t));
    return { values: out.dataSync() as Float32Array, shape: out.shape };
  });
}

/**
 * Dilation-2, stride-1 cases (3 → 4 channels unless given); tfjs's stock kernels have no
 * dilation, see `dilatedFilterShape`.
 */
export function dilatedCases(inChannels = 3, outChannels = 4): ConvCase[] {
  return [3, 4].flatMap((kernel, k) =>
    (['same', 'valid'] as const).map((pad, p) => ({
      label: `d2 k${kernel} ${pad}`,
      xShape: [1 + 2 * p, 9 + k, 8, inChannels] as [number, number, number, number],
      filterShape: [kernel, kernel, inChannels, outChannels] as [number, number, number, number],
      strides: 1,
      pad,
      dilations: 2,
    })),
  );
}

/**
 * A dilated filter equals an undilated one of size (k − 1)·d + 1 with zeros between its taps,
 * and 'same' padding depends only on that effective size, so the stock kernels on the big
 * filter are the reference: dx is identical, and dW is the big dW sampled at the taps.
 */
export function dilatedFilterShape(c: ConvCase): [number, number, number, number] {
  const d = c.dilations ?? 1;
  const [kh, kw, ci, co] = c.filterShape;
  return [(kh - 1) * d + 1, (kw - 1) * d + 1, ci, co];
}

/** Spreads a filter's taps onto the zero-filled dilated filter (or reads them back). */
export function mapDilatedTaps(c: ConvCase, visit: (small: number, big: number) => void): void {
  const d = c.dilations ?? 1;
  const [kh, kw, ci, co] = c.filterShape;
  const bigWidth = (kw - 1) * d + 1;
  const channels = ci * co;
  for (let r = 0; r < kh; r++) {
    for (let s = 0; s < kw; s++) {
      for (let k = 0; k < channels; k++) {
        visit((r * kw + s) * channels + k, (r * d * bigWidth + s * d) * channels + k);
      }
    }
  }
}

/** A case's inputs, seeded: x from seed 1, dy from 2, the filter from 3. */
export function caseValues(c: ConvCase): Record<'x' | 'dy' | 'filter', SeededInput> {
  const dyShape = outputShape(c) as number[];
  return {
    x: { values: seededValues(sizeOf(c.xShape), 1), shape: [...c.xShape] },
    dy: { values: seededValues(sizeOf(dyShape), 2), shape: dyShape },
    filter: { values: seededValues(sizeOf(c.filterShape), 3), shape: [...c.filterShape] },
  };
}

/** Values and shape of one kernel input. */
export interface SeededInput {
  values: Float32Array;
  shape: number[];
}

/** The attributes of every convolution kernel for a case (each kernel reads its own). */
export function caseAttrs(c: ConvCase, filterShape = c.filterShape): NamedAttrMap {
  return {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: c.dimRoundingMode,
    inputShape: c.xShape,
    filterShape,
  } as unknown as NamedAttrMap;
}

/** The convolution kernels and the inputs each takes, by name. */
const KERNEL_INPUTS = {
  Conv2D: ['x', 'filter'],
  Conv2DBackpropFilter: ['x', 'dy'],
  Conv2DBackpropInput: ['dy', 'filter'],
} as const;

/** A convolution kernel's name. */
export type ConvKernelName = keyof typeof KERNEL_INPUTS;

/**
 * The kernel registered for the active backend (ours, once installed) on a case's values,
 * with the case's dilation: its result's values and shape.
 */
export function runInstalled(
  kernelName: ConvKernelName,
  c: ConvCase,
): { values: Float32Array; shape: number[] } {
  const v = caseValues(c);
  return tf.tidy(() => {
    const inputs = Object.fromEntries(
      KERNEL_INPUTS[kernelName].map((name) => [name, tf.tensor(v[name].values, v[name].shape)]),
    );
    const out = tf
      .engine()
      .runKernel(kernelName, inputs, { ...caseAttrs(c), dilations: c.dilations ?? 1 }) as tf.Tensor;
    return { values: out.dataSync() as Float32Array, shape: out.shape };
  });
}

/**
 * A case for the kernels' chunking: 5 images of 6×6×2, 3×3 filter to 3 channels, stride 2
 * 'same' (3×3 outputs). Per image the patch matrix (and the input gradient's column matrix)
 * holds 3·3·2 rows × 3·3 positions = 162 floats, so a 400-float limit gives chunks of 2, 2
 * and 1 images.
 */
export const CHUNKED_CASE: ConvCase = {
  label: 'chunked',
  xShape: [5, 6, 6, 2],
  filterShape: [3, 3, 2, 3],
  strides: 2,
  pad: 'same',
};

/** The chunk limit, in floats, that splits {@link CHUNKED_CASE} into 2, 2 and 1 images. */
export const CHUNK_FLOATS = 400;

/**
 * The stock cpu kernel's result on a case's values. The stock kernels have no dilation; a
 * dilated case runs on its zero-inserted filter (`dilatedFilterShape`): the same input
 * gradient and forward result, and a weight gradient read back at the taps.
 */
export function stockConv(
  kernelName: 'Conv2D' | 'Conv2DBackpropFilter' | 'Conv2DBackpropInput',
  c: ConvCase,
): Float32Array {
  const { x, dy, filter } = caseValues(c);
  const dilated = (c.dilations ?? 1) !== 1;
  const bigShape = dilated ? dilatedFilterShape(c) : c.filterShape;
  const attrs = { ...caseAttrs(c, bigShape), dilations: 1 } as unknown as NamedAttrMap;
  if (kernelName === 'Conv2DBackpropFilter') {
    const big = runStockCpu(kernelName, { x, dy }, attrs);
    if (!dilated) return big;
    const taps = new Float32Array(sizeOf(c.filterShape));
    mapDilatedTaps(c, (small, index) => (taps[small] = big[index]));
    return taps;
  }
  let bigFilter = filter;
  if (dilated) {
    bigFilter = { values: new Float32Array(sizeOf(bigShape)), shape: [...bigShape] };
    mapDilatedTaps(c, (small, index) => (bigFilter.values[index] = filter.values[small]));
  }
  return kernelName === 'Conv2D'
    ? runStockCpu(kernelName, { x, filter: bigFilter }, attrs)
    : runStockCpu(kernelName, { dy, filter: bigFilter }, attrs);
}

/** Output shape [N, Ho, Wo, Co] of a case's forward convolution. */
export function outputShape(c: ConvCase): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(
    c.xShape,
    c.filterShape,
    c.strides,
    c.dilations ?? 1,
    c.pad,
    c.dimRoundingMode,
  );
  return info.outShape;
}
