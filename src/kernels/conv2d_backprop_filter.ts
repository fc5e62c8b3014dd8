import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { type ConvAttrs, convGeometry, imageChunks } from './conv_geometry';
import { im2colTransposed } from './im2col';
import { copyRange, type KernelHost, withShape } from './kernel_host';
import { type DirectPath, type HostFactory, usesStockPath } from './kernel_factory';

/**
 * Attributes of the `Conv2DBackpropFilter` kernel, as tfjs's `conv2dDerFilter` passes them.
 *
 * @category Kernels
 */
export interface Conv2DBackpropFilterAttrs extends ConvAttrs {
  /** Shape of the filter, `[kh, kw, Ci, Co]`. */
  filterShape: [number, number, number, number];
}

/**
 * Computes the gradient of a 2-D convolution with respect to its filter, as
 * `dW [K, Co] = Pᵀ [K, M] · dY [M, Co]` with `K = kh·kw·Ci` and `M = N·Ho·Wo`.
 *
 * `Pᵀ` is built directly by {@link im2colTransposed}, so the product needs no transpose flag
 * and stride-2 layers do no work on inserted zeros. Batches whose `Pᵀ` would pass 64 MB are
 * processed a chunk of images at a time and the partial gradients summed.
 *
 * @param host - Backend operations.
 * @param x - Layer input `[N, H, W, Ci]`, float32.
 * @param dy - Gradient of the layer output `[N, Ho, Wo, Co]`, float32.
 * @param attrs - Strides, padding, rounding mode, optional dilations and `filterShape`.
 * @param maxChunkFloats - Largest im2col buffer, in floats; larger batches are chunked.
 * @defaultValue maxChunkFloats = 16M floats (64 MB)
 * @returns A new tensor `[kh, kw, Ci, Co]` owned by the caller.
 * @remarks NHWC only.
 * @category Kernels
 */
export function conv2dBackpropFilterOn(
  host: KernelHost,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: Conv2DBackpropFilterAttrs,
  maxChunkFloats?: number,
): TensorInfo {
  const geometry = convGeometry(x.shape, attrs.filterShape, attrs);
  const { batch, outHeight, outWidth, outChannels } = geometry;
  const patchSize = geometry.filterHeight * geometry.filterWidth * geometry.inChannels;
  const positionsPerImage = outHeight * outWidth;
  let dW: TensorInfo | null = null;
  for (const { first, images, positions } of imageChunks(geometry, maxChunkFloats)) {
    // Pᵀ: [K, images·Ho·Wo]
    const patches = host.alloc([patchSize, positions]);
    im2colTransposed(host.view(x), geometry, first, images, host.view(patches));
    const whole = images === batch;
    const dyChunk = whole
      ? withShape(dy, [positions, outChannels])
      : copyRange(host, dy, first * positionsPerImage * outChannels, [positions, outChannels]);
    const part = host.matMul(patches, dyChunk);
    host.free(patches);
    if (!whole) host.free(dyChunk);
    if (dW == null) {
      dW = part;
    } else {
      const sum = host.view(dW);
      const add = host.view(part);
      for (let i = 0; i < sum.length; i++) sum[i] += add[i];
      host.free(part);
    }
  }
  return withShape(dW as TensorInfo, [...attrs.filterShape]);
}

/**
 * Makes the `Conv2DBackpropFilter` kernel function for one backend.
 *
 * @param hostFor - Builds the backend operations from the backend a kernel call receives.
 * @param stock - The backend's own kernel, used for inputs this one does not handle
 *   (NCHW or non-float32); `undefined` when the backend has none.
 * @param direct - A faster backend-specific path, `(backend, x, dy, geometry)`, tried first.
 * @returns A kernel function for `tf.registerKernel`.
 * @category Kernels
 */
export function makeConv2DBackpropFilterKernel(
  hostFor: HostFactory,
  stock: KernelFunc | undefined,
  direct?: DirectPath,
): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    if (usesStockPath([x, dy], attrs, stock)) return (stock as KernelFunc)(args);
    const done = direct?.(args.backend, x, dy, convGeometry(x.shape, attrs.filterShape, attrs));
    if (done != null) return done;
    return conv2dBackpropFilterOn(hostFor(args.backend), x, dy, attrs);
  };
}
