import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs';

type Tensors = Record<'x' | 'dy' | 'filter', TensorInfo>;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convGeometry } from '../../src/kernels/conv_geometry';
import { installTrainingKernels, uninstallTrainingKernels } from '../../src/kernels/install';
import {
  type TapsBuild,
  availableTapsBuilds,
  tapsBuild,
  useTapsBuild,
} from '../../src/kernels/wasm/taps_instance';
import type { WasmBackendLike } from '../../src/kernels/wasm_host';
import {
  conv2dByTaps,
  conv2dBackpropFilterByTaps,
  conv2dBackpropInputByTaps,
  tapsApply,
} from '../../src/kernels/wasm_taps';
import {
  type ConvCase,
  caseAttrs,
  caseValues,
  dilatedCases,
  gridCases,
  outputShape,
  paddingCases,
  relativeError,
  runCase,
  stockConv,
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

/** The grid (strides 1–3, kernels 1–5, 'same'/'valid', batch 1 and 7) and special cases. */
function tapsCases(): ConvCase[] {
  const cases = gridCases(CHANNELS);
  cases.push(
    {
      label: 'reference DCGAN layer 1↔64, batch 2',
      xShape: [2, 28, 28, 1],
      filterShape: [5, 5, 1, 64],
      strides: 2,
      pad: 'same',
    },
    ...paddingCases(16),
    ...dilatedCases(2, 16),
  );
  return cases;
}

function geometryOf(c: ConvCase) {
  return convGeometry(c.xShape, c.filterShape, {
    ...caseAttrs(c),
    dilations: c.dilations ?? 1,
  } as never);
}

let backend: WasmBackendLike;

// Every build this engine compiles; the 'relaxed-simd' test project (vitest.config.ts) runs
// this file again on an engine switched to relaxed SIMD, with TAPS_BUILDS=relaxed.
const BUILDS = (process.env.TAPS_BUILDS?.split(',') ?? availableTapsBuilds()) as TapsBuild[];

/** Tensors the wasm backend holds, counting the kernels' scratch buffers. */
function heldByBackend(): number {
  return (backend as unknown as { numDataIds(): number }).numDataIds();
}

describe.each(BUILDS)('wasm tap kernels, %s build', (build) => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    backend = tf.backend() as unknown as WasmBackendLike;
    useTapsBuild(build);
  });
  afterAll(() => useTapsBuild(undefined));

  it('run the build under test', () => {
    expect(tapsBuild()).toBe(build);
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

  // Each kernel with its stock counterpart and the shape of its result.
  const kernels = [
    {
      name: 'forward convolution',
      stock: tf.Conv2D,
      shape: (c: ConvCase) => outputShape(c),
      run: (c: ConvCase) => (t: Tensors) => conv2dByTaps(backend, t.x, t.filter, geometryOf(c)),
    },
    {
      name: 'filter gradient',
      stock: tf.Conv2DBackpropFilter,
      shape: (c: ConvCase) => c.filterShape,
      run: (c: ConvCase) => (t: Tensors) =>
        conv2dBackpropFilterByTaps(backend, t.x, t.dy, geometryOf(c)),
    },
    {
      name: 'input gradient',
      stock: tf.Conv2DBackpropInput,
      shape: (c: ConvCase) => c.xShape,
      run: (c: ConvCase) => (t: Tensors) =>
        conv2dBackpropInputByTaps(backend, t.dy, t.filter, geometryOf(c)),
    },
  ] as const;

  it.each(kernels.flatMap((k) => cases.map((c) => [k.name, c.label, k, c] as const)))(
    '%s matches the stock cpu kernel: %s',
    (_, __, kernel, c) => {
      const ours = runCase(c, kernel.run(c));
      expect(ours.shape).toEqual(kernel.shape(c));
      expect(relativeError(ours.values, stockConv(kernel.stock, c))).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('serve the installed Conv2D, which matches the stock cpu kernel', () => {
    installTrainingKernels('wasm');
    try {
      // 1→64 and 64→16 (4·4·64 = 1,024 taps: four chunks of 256) both run by taps.
      for (const label of ['reference DCGAN layer 1↔64, batch 2', 's1 k4 same 7×8×8×64→16']) {
        const c = cases.find((k) => k.label === label) as ConvCase;
        const ours = runCase(c, (t) =>
          tf.conv2d(t.x as tf.Tensor4D, t.filter as tf.Tensor4D, c.strides, c.pad as 'same'),
        );
        expect(relativeError(ours.values, stockConv(tf.Conv2D, c)), label).toBeLessThanOrEqual(
          TOLERANCE,
        );
      }
    } finally {
      uninstallTrainingKernels('wasm');
    }
  });

  it('frees every scratch buffer', () => {
    const c = cases.find((k) => k.label.startsWith('reference')) as ConvCase;
    // Warm up once so that lazily created backend state is not counted.
    runCase(c, (t) => conv2dBackpropFilterByTaps(backend, t.x, t.dy, geometryOf(c)));
    const before = heldByBackend();
    runCase(c, (t) => conv2dByTaps(backend, t.x, t.filter, geometryOf(c)));
    runCase(c, (t) => conv2dBackpropFilterByTaps(backend, t.x, t.dy, geometryOf(c)));
    runCase(c, (t) => conv2dBackpropInputByTaps(backend, t.dy, t.filter, geometryOf(c)));
    expect(heldByBackend()).toBe(before);
  });
});
