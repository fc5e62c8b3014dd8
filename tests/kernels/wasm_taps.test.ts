import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { convGeometry } from '../../src/kernels/conv_geometry';
import { installTrainingKernels, uninstallTrainingKernels } from '../../src/kernels/install';
import type { WasmBackendLike } from '../../src/kernels/wasm_host';
import {
  conv2dByTaps,
  conv2dBackpropFilterByTaps,
  conv2dBackpropInputByTaps,
  tapsApply,
} from '../../src/kernels/wasm_taps';
import {
  type ConvCase,
  dilatedFilterShape,
  mapDilatedTaps,
  outputShape,
  relativeError,
  runStockCpu,
  seededValues,
  sizeOf,
} from './reference';

// Criterion everywhere: max|ours − stock| / max(|stock|) ≤ 1e-5 (see relativeError).
const TOLERANCE = 1e-5;

// [inChannels, outChannels]: output channels in whole SIMD blocks of 16; input channels few
// (an image's first layer, a generator's last) or many (the filter gradient of every layer).
const CHANNELS: Array<[number, number]> = [
  [1, 16],
  [2, 32],
  [3, 16],
  [1, 64],
  [64, 16],
];

/** Strides 1–3, kernels 1–5, 'same' and 'valid', odd and even sizes, batch 1 and 7. */
function tapsCases(): ConvCase[] {
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
          const [inChannels, outChannels] = CHANNELS[index % CHANNELS.length];
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
  cases.push(
    {
      label: 'reference DCGAN layer 1↔64, batch 2',
      xShape: [2, 28, 28, 1],
      filterShape: [5, 5, 1, 64],
      strides: 2,
      pad: 'same',
    },
    {
      label: 'pad 1 s2 k3 round',
      xShape: [2, 8, 7, 3],
      filterShape: [3, 3, 3, 16],
      strides: 2,
      pad: 1,
      dimRoundingMode: 'round',
    },
    {
      label: 'explicit pad s2 k4',
      xShape: [3, 9, 8, 2],
      filterShape: [4, 4, 2, 32],
      strides: 2,
      pad: [
        [0, 0],
        [1, 2],
        [2, 1],
        [0, 0],
      ],
    },
    ...[3, 4].flatMap((kernel, k) =>
      (['same', 'valid'] as const).map((pad, p) => ({
        label: `d2 k${kernel} ${pad}`,
        xShape: [1 + 2 * p, 9 + k, 8, 2] as [number, number, number, number],
        filterShape: [kernel, kernel, 2, 16] as [number, number, number, number],
        strides: 1,
        pad,
        dilations: 2,
      })),
    ),
  );
  return cases;
}

function attrsOf(c: ConvCase, filterShape = c.filterShape): NamedAttrMap {
  return {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: c.dimRoundingMode,
    inputShape: c.xShape,
    filterShape,
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
  return convGeometry(c.xShape, c.filterShape, {
    ...attrsOf(c),
    dilations: c.dilations ?? 1,
  } as never);
}

/**
 * The stock cpu filter gradient. tfjs's stock kernels have no dilation; a dilated filter
 * equals the undilated one of size (k − 1)·d + 1 with zeros between its taps, so the big
 * filter's gradient sampled at the taps is the reference.
 */
function stockFilter(c: ConvCase): Float32Array {
  const { x, dy } = valuesOf(c);
  if ((c.dilations ?? 1) === 1) return runStockCpu(tf.Conv2DBackpropFilter, { x, dy }, attrsOf(c));
  const big = runStockCpu(tf.Conv2DBackpropFilter, { x, dy }, attrsOf(c, dilatedFilterShape(c)));
  const taps = new Float32Array(sizeOf(c.filterShape));
  mapDilatedTaps(c, (small, index) => (taps[small] = big[index]));
  return taps;
}

/** The stock cpu forward convolution; dilated filters are spread onto the big zero filter. */
function stockForward(c: ConvCase): Float32Array {
  const { x, filter } = valuesOf(c);
  const attrs = { ...attrsOf(c), dilations: 1 } as unknown as NamedAttrMap;
  if ((c.dilations ?? 1) === 1) return runStockCpu(tf.Conv2D, { x, filter }, attrs);
  const bigShape = dilatedFilterShape(c);
  const big = new Float32Array(sizeOf(bigShape));
  mapDilatedTaps(c, (small, index) => (big[index] = filter.values[small]));
  return runStockCpu(tf.Conv2D, { x, filter: { values: big, shape: bigShape } }, attrs);
}

/** The stock cpu input gradient; dilated filters are spread onto the big zero filter. */
function stockInput(c: ConvCase): Float32Array {
  const { dy, filter } = valuesOf(c);
  if ((c.dilations ?? 1) === 1) {
    return runStockCpu(tf.Conv2DBackpropInput, { dy, filter }, attrsOf(c));
  }
  const bigShape = dilatedFilterShape(c);
  const big = new Float32Array(sizeOf(bigShape));
  mapDilatedTaps(c, (small, index) => (big[index] = filter.values[small]));
  return runStockCpu(
    tf.Conv2DBackpropInput,
    { dy, filter: { values: big, shape: bigShape } },
    attrsOf(c, bigShape),
  );
}

let backend: WasmBackendLike;

/** Runs a path on wasm tensors made from the case's values and reads the result back. */
function runPath(
  c: ConvCase,
  run: (t: Record<'x' | 'dy' | 'filter', TensorInfo>) => TensorInfo,
): { values: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const v = valuesOf(c);
    const t = {
      x: tf.tensor(v.x.values, v.x.shape),
      dy: tf.tensor(v.dy.values, v.dy.shape),
      filter: tf.tensor(v.filter.values, v.filter.shape),
    };
    const out = tf.engine().makeTensorFromTensorInfo(run(t));
    return { values: out.dataSync() as Float32Array, shape: out.shape };
  });
}

/** Tensors the wasm backend holds, counting the kernels' scratch buffers. */
function heldByBackend(): number {
  return (backend as unknown as { numDataIds(): number }).numDataIds();
}

describe('wasm tap kernels', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    backend = tf.backend() as unknown as WasmBackendLike;
  });

  const cases = tapsCases();

  it('apply to every case here and refuse output channels outside whole blocks', () => {
    for (const c of cases) {
      expect(tapsApply(backend, geometryOf(c), 16), c.label).toBe(true);
    }
    const g = (co: number) =>
      convGeometry([1, 8, 8, 1], [3, 3, 1, co], { strides: 2, pad: 'same' });
    // 24 = 8·3 fills whole input-gradient blocks of 8 but not filter-gradient blocks of 16.
    expect(tapsApply(backend, g(24), 8)).toBe(true);
    expect(tapsApply(backend, g(24), 16)).toBe(false);
    expect(tapsApply(backend, g(12), 8)).toBe(false);
  });

  it.each(cases.map((c) => [c.label, c] as const))(
    'forward convolution matches the stock cpu kernel: %s',
    (_, c) => {
      const ours = runPath(c, (t) => conv2dByTaps(backend, t.x, t.filter, geometryOf(c)));
      expect(ours.shape).toEqual(outputShape(c));
      expect(relativeError(ours.values, stockForward(c))).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it.each(cases.map((c) => [c.label, c] as const))(
    'filter gradient matches the stock cpu kernel: %s',
    (_, c) => {
      const ours = runPath(c, (t) => conv2dBackpropFilterByTaps(backend, t.x, t.dy, geometryOf(c)));
      expect(ours.shape).toEqual(c.filterShape);
      expect(relativeError(ours.values, stockFilter(c))).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it.each(cases.map((c) => [c.label, c] as const))(
    'input gradient matches the stock cpu kernel: %s',
    (_, c) => {
      const ours = runPath(c, (t) =>
        conv2dBackpropInputByTaps(backend, t.dy, t.filter, geometryOf(c)),
      );
      expect(ours.shape).toEqual(c.xShape);
      expect(relativeError(ours.values, stockInput(c))).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('serve the installed Conv2D for few input channels; the stock kernel takes the rest', () => {
    installTrainingKernels('wasm');
    try {
      // 1→64 runs by taps, 64→16 (64 input channels) by XNNPACK; both match the cpu kernel.
      for (const label of ['reference DCGAN layer 1↔64, batch 2', 's1 k4 same 7×8×8×64→16']) {
        const c = cases.find((k) => k.label === label) as ConvCase;
        const ours = runPath(c, (t) =>
          tf.conv2d(t.x as tf.Tensor4D, t.filter as tf.Tensor4D, c.strides, c.pad as 'same'),
        );
        expect(relativeError(ours.values, stockForward(c)), label).toBeLessThanOrEqual(TOLERANCE);
      }
    } finally {
      uninstallTrainingKernels('wasm');
    }
  });

  it('frees every scratch buffer', () => {
    const c = cases.find((k) => k.label.startsWith('reference')) as ConvCase;
    // Warm up once so that lazily created backend state is not counted.
    runPath(c, (t) => conv2dBackpropFilterByTaps(backend, t.x, t.dy, geometryOf(c)));
    const before = heldByBackend();
    runPath(c, (t) => conv2dByTaps(backend, t.x, t.filter, geometryOf(c)));
    runPath(c, (t) => conv2dBackpropFilterByTaps(backend, t.x, t.dy, geometryOf(c)));
    runPath(c, (t) => conv2dBackpropInputByTaps(backend, t.dy, t.filter, geometryOf(c)));
    expect(heldByBackend()).toBe(before);
  });
});
