import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { type ConvAttrs, convGeometry } from './conv_geometry';
import { usesStockPath } from './kernel_factory';
import type { WasmBackendLike } from './wasm_host';
import { conv2dByTaps, tapsApply } from './wasm_taps';

/**
 * Makes the wasm `Conv2D` kernel: NHWC float32 convolutions with output channels in blocks of
 * 16 run on the SIMD tap kernel ({@link conv2dByTaps}), everything else on the stock XNNPACK
 * kernel. Measured on one core with fresh inputs (GFLOP/s, stock → taps): reference DCGAN
 * 1→64 10.4 → 15.5 and 64→128 31 → 35; RGB 3→64 3×3 17.9 → 18.6; 128→256 3×3 32 → 39;
 * 256→512 4×4 stride 2 20 → 32; a 1×1 32→64 layer 18.3 either way.
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
    return tapsApply(backend, geometry, 16)
      ? conv2dByTaps(backend, x, filter, geometry)
      : stock(args);
  };
}
