import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { ConvAttrs, ConvGeometry } from './conv_geometry';
import type { KernelHost } from './kernel_host';

/**
 * Builds the {@link KernelHost} for the backend instance a kernel call receives.
 *
 * @category Kernels
 */
export type HostFactory = (backend: unknown) => KernelHost;

/**
 * A backend-specific way to run a convolution gradient, tried before the im2col path; returns
 * `null` when it does not handle the call.
 *
 * @category Kernels
 */
export type DirectPath = (
  backend: unknown,
  a: TensorInfo,
  b: TensorInfo,
  geometry: ConvGeometry,
) => TensorInfo | null;

/**
 * Decides whether a convolution call must go to the stock kernel: our kernels handle NHWC
 * float32 data only.
 *
 * @param inputs - The kernel's tensor inputs.
 * @param attrs - The kernel's attributes.
 * @param stock - The stock kernel function, if the backend has one.
 * @returns `true` when the stock kernel should run.
 * @throws Error when the call needs the stock path but the backend has no stock kernel.
 * @category Kernels
 */
export function usesStockPath(
  inputs: TensorInfo[],
  attrs: ConvAttrs,
  stock: KernelFunc | undefined,
): boolean {
  const nhwc = attrs.dataFormat == null || attrs.dataFormat === 'NHWC';
  const float32 = inputs.every((t) => t.dtype === 'float32');
  if (nhwc && float32) return false;
  if (stock != null) return true;
  throw new Error(
    `Training kernels support NHWC float32 data only, got dataFormat '${attrs.dataFormat}' ` +
      `and dtypes [${inputs.map((t) => t.dtype).join(', ')}].`,
  );
}
