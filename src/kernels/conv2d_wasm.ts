import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { type ConvAttrs, convGeometry } from './conv_geometry';
import { usesStockPath } from './kernel_factory';
import type { WasmBackendLike } from './wasm_host';
import { conv2dByTaps, tapsApply } from './wasm_taps';

/**
 * Fewest input channels for which the stock XNNPACK convolution beats the tap kernel. Below,
 * each window has a handful of taps and XNNPACK's packed products run far under their speed
 * (reference DCGAN 1→64 layer: 10.4 GFLOP/s stock, 15.7 by taps; RGB 3→64: 13.1 and 16.4);
 * from 16 up the two are within a few per cent, and on wide layers (256→512) XNNPACK is ahead.
 */
export const TAPS_FORWARD_MAX_CHANNELS = 15;

/**
 * Makes the wasm `Conv2D` kernel: NHWC float32 convolutions with few input channels and output
 * channels in blocks of 16 run on the SIMD tap kernel ({@link conv2dByTaps}), everything else
 * on the stock XNNPACK kernel.
 *
 * @param stock - The backend's own `Conv2D` kernel function.
 * @returns A kernel function for `tf.registerKernel`.
 * @category Kernels
 */
export function makeWasmConv2DKernel(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs;
    const backend = args.backend as WasmBackendLike;
    if (usesStockPath([x, filter], attrs, stock)) return stock(args);
    const geometry = convGeometry(x.shape, filter.shape, attrs);
    return geometry.inChannels <= TAPS_FORWARD_MAX_CHANNELS && tapsApply(backend, geometry, 16)
      ? conv2dByTaps(backend, x, filter, geometry)
      : stock(args);
  };
}
