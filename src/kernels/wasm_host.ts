import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelHost } from './kernel_host';

/**
 * The members of tfjs's `BackendWasm` that the training kernels use.
 *
 * @category Kernels
 */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): ArrayBufferView;
  disposeData(dataId: object): boolean;
}

/**
 * Builds a {@link KernelHost} over the wasm backend: tensors live on the wasm heap and matrix
 * products run in the backend's own XNNPACK `BatchMatMul`.
 *
 * @param backend - The wasm backend instance passed to a kernel function.
 * @param batchMatMul - The stock wasm `BatchMatMul` kernel function.
 * @param transpose - The stock wasm `Transpose` kernel function.
 * @returns The host.
 * @remarks Views are re-taken from the heap on every `view` call, because any allocation may
 * grow the heap and detach earlier views.
 * @category Kernels
 */
export function createWasmHost(
  backend: WasmBackendLike,
  batchMatMul: KernelFunc,
  transpose: KernelFunc,
): KernelHost {
  return {
    alloc: (shape) => backend.makeOutput(shape, 'float32'),
    view: (info) => backend.typedArrayFromHeap(info) as Float32Array,
    free: (info) => {
      backend.disposeData(info.dataId);
    },
    matMul: (a, b) =>
      batchMatMul({
        inputs: { a, b },
        backend,
        attrs: { transposeA: false, transposeB: false },
      }) as TensorInfo,
    transpose: (a) =>
      transpose({ inputs: { x: a }, backend, attrs: { perm: [1, 0] } }) as TensorInfo,
  };
}
