import type { DataType, TensorInfo } from '@tensorflow/tfjs';
import type { KernelHost } from './kernel_host';
import { matMulInto, transposeInto } from './matmul';

/**
 * The members of tfjs's `MathBackendCPU` that the training kernels use.
 *
 * @category Kernels
 */
export interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array): TensorInfo;
  disposeData(dataId: object): boolean;
}

/**
 * Builds a {@link KernelHost} over the cpu backend, with a register-tiled JavaScript matrix
 * product ({@link matMulInto}).
 *
 * @param backend - The cpu backend instance passed to a kernel function.
 * @returns The host.
 * @remarks The tfjs cpu `BatchMatMul` kernel ran at 0.1 to 0.8 GFLOP/s on the DCGAN layer
 * shapes, against about 3 GFLOP/s for {@link matMulInto}, so it is not used.
 * @category Kernels
 */
export function createCpuHost(backend: CpuBackendLike): KernelHost {
  const view = (info: TensorInfo) => backend.data.get(info.dataId).values as Float32Array;
  const alloc = (shape: number[]) =>
    backend.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1)));
  return {
    alloc,
    view,
    free: (info) => {
      backend.disposeData(info.dataId);
    },
    matMul: (a, b) => {
      const [rows, inner] = a.shape;
      const cols = b.shape[1];
      const out = alloc([rows, cols]);
      matMulInto(view(a), view(b), view(out), rows, inner, cols);
      return out;
    },
    transpose: (a) => {
      const [rows, cols] = a.shape;
      const out = alloc([cols, rows]);
      transposeInto(view(a), view(out), rows, cols);
      return out;
    },
  };
}
