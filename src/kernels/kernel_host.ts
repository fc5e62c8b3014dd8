import type { TensorInfo } from '@tensorflow/tfjs';

/**
 * The few backend operations the training kernels are written against, so one im2col / col2im
 * algorithm serves both the wasm and the cpu backend.
 *
 * @remarks Every tensor a host makes is float32 and owned by the caller, who frees it with
 * {@link KernelHost.free} unless it becomes a kernel's output. A view from
 * {@link KernelHost.view} may be invalidated by the next `alloc`, `matMul` or `transpose` (the
 * wasm heap can grow and detach it), so take views again after each of those calls.
 *
 * @category Kernels
 */
export interface KernelHost {
  /**
   * Allocates a float32 tensor with unspecified contents.
   *
   * @param shape - Shape of the tensor.
   * @returns The new tensor's info, reference count 1.
   */
  alloc(shape: number[]): TensorInfo;
  /**
   * Returns the values of a float32 tensor as a live, writable view.
   *
   * @param info - A float32 tensor of this backend.
   * @returns A view of exactly `sizeFromShape(info.shape)` elements.
   */
  view(info: TensorInfo): Float32Array;
  /**
   * Releases one reference to a tensor this host made.
   *
   * @param info - The tensor to release.
   * @returns Nothing.
   */
  free(info: TensorInfo): void;
  /**
   * Multiplies `a [rows, inner]` by `b [inner, cols]`, neither transposed.
   *
   * @param a - Left matrix; its info's shape must be `[rows, inner]`.
   * @param b - Right matrix; its info's shape must be `[inner, cols]`.
   * @returns A new tensor `[rows, cols]` (the wasm host returns `[1, rows, cols]`).
   */
  matMul(a: TensorInfo, b: TensorInfo): TensorInfo;
  /**
   * Transposes a matrix.
   *
   * @param a - Matrix whose info's shape is `[rows, cols]`.
   * @returns A new tensor `[cols, rows]`.
   */
  transpose(a: TensorInfo): TensorInfo;
}

/**
 * Reinterprets a tensor's data under another shape of the same size, without copying or
 * touching reference counts.
 *
 * @param info - Any tensor info.
 * @param shape - The new shape.
 * @returns A tensor info sharing `info.dataId`.
 * @category Kernels
 */
export function withShape(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/**
 * Copies `length` consecutive elements of `source`, from element `offset`, into a new tensor.
 *
 * @param host - Backend operations.
 * @param source - Float32 tensor to copy from.
 * @param offset - First element copied.
 * @param shape - Shape of the copy; its size is the number of elements copied.
 * @returns A new tensor owned by the caller.
 * @category Kernels
 */
export function copyRange(
  host: KernelHost,
  source: TensorInfo,
  offset: number,
  shape: number[],
): TensorInfo {
  const copy = host.alloc(shape);
  const length = shape.reduce((a, b) => a * b, 1);
  host.view(copy).set(host.view(source).subarray(offset, offset + length));
  return copy;
}
