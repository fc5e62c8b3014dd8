/**
 * Speed of the training kernels against the stock tfjs kernels, on the reference DCGAN layer
 * shapes (MNIST, batch 64), for the wasm and cpu backends. Run: `npx tsx bench/kernels.ts`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  installTrainingKernels,
  trainingKernelsInstalled,
  uninstallTrainingKernels,
} from '../src/kernels/install';
import { tapsBuildNote, timeKernelMs } from './lib/timing';

interface ConvCase {
  name: string;
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
}

// Conv layers as the forward conv sees them; for generator layers x is the transposed conv's
// output and dy its input, so Conv2DBackpropInput is that layer's forward pass.
const CONV_CASES: ConvCase[] = [
  { name: 'D conv 1→64 5×5 s2 on 28×28', xShape: [64, 28, 28, 1], filterShape: [5, 5, 1, 64] },
  { name: 'D conv 64→128 5×5 s2 on 14×14', xShape: [64, 14, 14, 64], filterShape: [5, 5, 64, 128] },
  { name: 'G deconv 128→64 7→14', xShape: [64, 14, 14, 64], filterShape: [5, 5, 64, 128] },
  { name: 'G deconv 64→1 14→28', xShape: [64, 28, 28, 1], filterShape: [5, 5, 1, 64] },
];
const CONV_ATTRS = {
  strides: [2, 2] as [number, number],
  pad: 'same' as const,
  dataFormat: 'NHWC' as const,
};

function random(shape: number[]): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', 7);
}

interface Row {
  backend: string;
  kernel: string;
  layer: string;
  stock: number | null;
  ours: number;
}

/** Stock and our GFLOP/s of `run`, each call on fresh copies of `inputs` (see timeKernelMs). */
function measure<T extends tf.Tensor[]>(
  backend: string,
  kernel: string,
  layer: string,
  gflop: number,
  inputs: T,
  run: (...fresh: T) => tf.Tensor,
): Row {
  let stock: number | null = null;
  uninstallTrainingKernels(backend);
  try {
    stock = gflop / (timeKernelMs(inputs, run) / 1000);
  } catch (error) {
    // The backend has no stock kernel (wasm Conv2DBackpropFilter).
    if (!String(error).includes('not registered')) throw error;
  }
  installTrainingKernels(backend);
  const ours = gflop / (timeKernelMs(inputs, run) / 1000);
  return { backend, kernel, layer, stock, ours };
}

function convRows(backend: string): Row[] {
  const rows: Row[] = [];
  for (const c of CONV_CASES) {
    const x = random(c.xShape) as tf.Tensor4D;
    const filter = random(c.filterShape) as tf.Tensor4D;
    const y = tf.conv2d(x, filter, CONV_ATTRS.strides, CONV_ATTRS.pad);
    const dy = random(y.shape) as tf.Tensor4D;
    const [, outHeight, outWidth] = y.shape;
    const [kh, kw, inChannels, outChannels] = c.filterShape;
    const gflop =
      (2 * c.xShape[0] * outHeight * outWidth * kh * kw * inChannels * outChannels) / 1e9;
    // Replaced on wasm when the output channels come in blocks of 16; elsewhere (and on cpu)
    // stock and ours are the same kernel.
    rows.push(
      measure(backend, 'Conv2D (forward)', c.name, gflop, [x, filter], (xs, f) =>
        tf.conv2d(xs as tf.Tensor4D, f as tf.Tensor4D, CONV_ATTRS.strides, 'same'),
      ),
    );
    if (c.name.startsWith('D')) {
      rows.push(
        measure(
          backend,
          'Conv2DBackpropFilter',
          c.name,
          gflop,
          [x, dy],
          (xs, dys) =>
            tf.engine().runKernel(
              tf.Conv2DBackpropFilter,
              { x: xs, dy: dys },
              {
                ...CONV_ATTRS,
                filterShape: c.filterShape,
              },
            ) as tf.Tensor,
        ),
      );
    }
    rows.push(
      measure(backend, 'Conv2DBackpropInput', c.name, gflop, [dy, filter], (dys, f) =>
        tf.conv2dTranspose(
          dys as tf.Tensor4D,
          f as tf.Tensor4D,
          c.xShape,
          CONV_ATTRS.strides,
          'same',
        ),
      ),
    );
    tf.dispose([x, filter, y, dy]);
  }
  return rows;
}

function denseRows(backend: string): Row[] {
  // Dense 100→6272 at batch 64: dW = xᵀ·dy and dx = dy·Wᵀ.
  const x = random([64, 100]) as tf.Tensor2D;
  const weights = random([100, 6272]) as tf.Tensor2D;
  const dy = random([64, 6272]) as tf.Tensor2D;
  const gflop = (2 * 64 * 100 * 6272) / 1e9;
  const rows = [
    measure(backend, 'BatchMatMul transposeA (dW)', 'dense 100→6272', gflop, [x, dy], (a, b) =>
      tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false),
    ),
    measure(
      backend,
      'BatchMatMul transposeB (dx)',
      'dense 100→6272',
      gflop,
      [dy, weights],
      (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true),
    ),
  ];
  tf.dispose([x, weights, dy]);
  return rows;
}

function format(value: number | null): string {
  if (value == null) return 'none';
  return Number.isNaN(value) ? '' : value.toFixed(2);
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    await tf.ready();
    rows.push(...convRows(backend));
    if (backend === 'wasm') rows.push(...denseRows(backend));
    uninstallTrainingKernels(backend);
    if (trainingKernelsInstalled(backend)) throw new Error('bench: kernels still installed');
  }
  const header = ['backend', 'kernel', 'layer', 'stock GFLOP/s', 'ours GFLOP/s', 'ours/stock'];
  const lines = rows.map((r) => [
    r.backend,
    r.kernel,
    r.layer,
    format(r.stock),
    format(r.ours),
    r.stock == null || Number.isNaN(r.ours) ? '' : `${(r.ours / r.stock).toFixed(1)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  for (const line of [header, ...lines]) {
    console.log(line.map((cell, i) => cell.padEnd(widths[i])).join('  '));
  }
  console.log(`\n${tapsBuildNote()}`);
}

void main();
