import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { type ConvAttrs, convGeometry, imageChunks } from './conv_geometry';
import { col2imAdd } from './im2col';
import { copyRange, type KernelHost, withShape } from './kernel_host';
import { type DirectPath, type HostFactory, usesStockPath } from './kernel_factory';

/**
 * Attributes of the `Conv2DBackpropInput` kernel, as tfjs's `conv2dDerInput` passes them.
 *
 * @category Kernels
 */
export interface Conv2DBackpropInputAttrs extends ConvAttrs {
  /** Shape of the convolution's input, `[N, H, W, Ci]`: the shape of the result. */
  inputShape: [number, number, number, number];
}

/**
 * Computes the gradient of a 2-D convolution with respect to its input, which is also the
 * forward pass of a transposed convolution: `C [M, K] = dY [M, Co] · Wᵀ [Co, K]` with
 * `K = kh·kw·Ci` and `M = N·Ho·Wo`, then `C` is scatter-added onto `dx` by {@link col2imAdd}.
 *
 * Only the small filter is transposed; stride-2 layers do no work on inserted zeros. Batches
 * whose `C` would pass 64 MB are processed a chunk of images at a time.
 *
 * @param host - Backend operations.
 * @param dy - Gradient of the layer output `[N, Ho, Wo, Co]`, float32.
 * @param filter - Filter `[kh, kw, Ci, Co]`, float32.
 * @param attrs - Strides, padding, rounding mode, optional dilations and `inputShape`.
 * @param maxChunkFloats - Largest im2col buffer, in floats; larger batches are chunked.
 * @defaultValue maxChunkFloats = 16M floats (64 MB)
 * @returns A new tensor of shape `inputShape` owned by the caller.
 * @remarks NHWC only.
 * @category Kernels
 */
export function conv2dBackpropInputOn(
  host: KernelHost,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: Conv2DBackpropInputAttrs,
  maxChunkFloats?: number,
): TensorInfo {
  const geometry = convGeometry(attrs.inputShape, filter.shape, attrs);
  const { batch, outHeight, outWidth, outChannels } = geometry;
  const patchSize = geometry.filterHeight * geometry.filterWidth * geometry.inChannels;
  const positionsPerImage = outHeight * outWidth;
  // Wᵀ: [Co, K]
  const filterT = host.transpose(withShape(filter, [patchSize, outChannels]));
  const dx = host.alloc([...attrs.inputShape]);
  host.view(dx).fill(0);
  for (const { first, images, positions } of imageChunks(geometry, maxChunkFloats)) {
    const whole = images === batch;
    const dyChunk = whole
      ? withShape(dy, [positions, outChannels])
      : copyRange(host, dy, first * positionsPerImage * outChannels, [positions, outChannels]);
    // C: [images·Ho·Wo, K]
    const columns = host.matMul(dyChunk, filterT);
    if (!whole) host.free(dyChunk);
    col2imAdd(host.view(columns), geometry, first, images, host.view(dx));
    host.free(columns);
  }
  host.free(filterT);
  return dx;
}

/**
 * Makes the `Conv2DBackpropInput` kernel function for one backend.
 *
 * @param hostFor - Builds the backend operations from the backend a kernel call receives.
 * @param stock - The backend's own kernel, used for inputs this one does not handle
 *   (NCHW or non-float32); `undefined` when the backend has none.
 * @param direct - A faster backend-specific path, `(backend, dy, filter, geometry)`, tried
 *   first.
 * @returns A kernel function for `tf.registerKernel`.
 * @category Kernels
 */
export function makeConv2DBackpropInputKernel(
  hostFor: HostFactory,
  stock: KernelFunc | undefined,
  direct?: DirectPath,
): KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (usesStockPath([dy, filter], attrs, stock)) return (stock as KernelFunc)(args);
    const done = direct?.(
      args.backend,
      dy,
      filter,
      convGeometry(attrs.inputShape, filter.shape, attrs),
    );
    if (done != null) return done;
    return conv2dBackpropInputOn(hostFor(args.backend), dy, filter, attrs);
  };
}
