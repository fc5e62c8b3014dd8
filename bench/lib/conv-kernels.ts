/**
 * GFLOP/s of the convolution training kernels on the reference DCGAN's layer shapes (MNIST,
 * batch 64, 5×5 stride-2 'same').
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap } from '@tensorflow/tfjs';
import { stockKernel } from '../../src/kernels/install';
import { callKey, timeStockCall } from './kernel-calls';
import { timeKernelMs } from './timing';

/** One convolution layer, as the forward convolution sees it. */
export interface ConvLayer {
  name: string;
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
}

// A generator layer's transposed convolution is the input gradient of the convolution with
// x = its output and dy = its input, so each shape serves one D layer and one G layer.
export const REFERENCE_LAYERS: ConvLayer[] = [
  {
    name: 'D conv1 / G deconv2 (1↔64, 28↔14)',
    xShape: [64, 28, 28, 1],
    filterShape: [5, 5, 1, 64],
  },
  {
    name: 'D conv2 / G deconv1 (64↔128, 14↔7)',
    xShape: [64, 14, 14, 64],
    filterShape: [5, 5, 64, 128],
  },
];

const STRIDES: [number, number] = [2, 2];

/** One kernel on one layer: GFLOP per call and milliseconds, ours and stock. */
export interface KernelTiming {
  kernelName: string;
  layer: string;
  gflop: number;
  oursMs: number;
  /** `null`: the backend has no stock kernel; `undefined`: not measured. */
  stockMs: number | null | undefined;
  /** Key of the stock measurement, to reuse it (see {@link callKey}). */
  key: string;
  /** Whether the training kernels replace this kernel on this backend. */
  replaced: boolean;
}

function outShape(layer: ConvLayer): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    layer.xShape,
    layer.filterShape,
    STRIDES,
    1,
    'same',
  );
  return info.outShape;
}

function layerGflop(layer: ConvLayer): number {
  const [, ho, wo] = outShape(layer);
  const [kh, kw, ci, co] = layer.filterShape;
  return (2 * layer.xShape[0] * ho * wo * kh * kw * ci * co) / 1e9;
}

/**
 * Times Conv2D, Conv2DBackpropFilter and Conv2DBackpropInput on the active backend, with the
 * training kernels installed (they must be). The forward Conv2D is replaced on both backends;
 * its stock kernel is timed the same way as ours, by calling it directly. A kernel that is not
 * replaced is reported as the stock reference.
 *
 * @param withStock - also time the stock kernels (one call each when slow).
 */
export function timeConvKernels(withStock: boolean): KernelTiming[] {
  const backendName = tf.getBackend();
  const timings: KernelTiming[] = [];
  for (const layer of REFERENCE_LAYERS) {
    const gflop = layerGflop(layer);
    const dyShape = outShape(layer);
    const x = tf.randomUniform(layer.xShape, -1, 1, 'float32', 1);
    const filter = tf.randomUniform(layer.filterShape, -1, 1, 'float32', 2);
    const dy = tf.randomUniform(dyShape, -1, 1, 'float32', 3);
    const base = { strides: STRIDES, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined };
    const cases: Array<[string, Record<string, tf.Tensor>, NamedAttrMap]> = [
      [tf.Conv2D, { x, filter }, { ...base, dilations: [1, 1] } as unknown as NamedAttrMap],
      [
        tf.Conv2DBackpropFilter,
        { x, dy },
        { ...base, filterShape: layer.filterShape } as unknown as NamedAttrMap,
      ],
      [
        tf.Conv2DBackpropInput,
        { dy, filter },
        { ...base, inputShape: layer.xShape } as unknown as NamedAttrMap,
      ],
    ];
    for (const [kernelName, inputs, attrs] of cases) {
      const names = Object.keys(inputs);
      const oursMs = timeKernelMs(
        Object.values(inputs),
        (...fresh) =>
          tf
            .engine()
            .runKernel(
              kernelName,
              Object.fromEntries(names.map((n, i) => [n, fresh[i]])),
              attrs,
            ) as tf.Tensor,
      );
      const shapes = Object.fromEntries(Object.entries(inputs).map(([n, t]) => [n, [...t.shape]]));
      const stock = stockKernel(kernelName, backendName);
      const replaced = stock !== tf.getKernel(kernelName, backendName);
      let stockMs: number | null | undefined;
      if (stock == null) stockMs = null;
      else if (!replaced) stockMs = oursMs;
      else if (kernelName === tf.Conv2D) {
        const backend = tf.backend();
        stockMs = timeKernelMs(Object.values(inputs), (...fresh) =>
          tf.engine().makeTensorFromTensorInfo(
            stock.kernelFunc({
              inputs: Object.fromEntries(names.map((n, i) => [n, fresh[i]])),
              backend,
              attrs,
            }) as tf.TensorInfo,
          ),
        );
      } else if (withStock) stockMs = timeStockCall(backendName, kernelName, shapes, attrs);
      timings.push({
        kernelName,
        layer: layer.name,
        gflop,
        oursMs,
        stockMs,
        key: callKey(kernelName, shapes),
        replaced,
      });
    }
    tf.dispose([x, filter, dy]);
  }
  return timings;
}
