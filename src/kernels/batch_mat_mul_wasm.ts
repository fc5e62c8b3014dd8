import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from './wasm_host';

/**
 * Makes a wasm `BatchMatMul` kernel that never asks XNNPACK for a transposed operand: a
 * flagged operand is transposed explicitly with the wasm `Transpose` kernel, and the stock
 * kernel then multiplies without flags. Calls without flags go straight to the stock kernel.
 *
 * @param stockMatMul - The stock wasm `BatchMatMul` kernel function.
 * @param transpose - The stock wasm `Transpose` kernel function.
 * @returns A kernel function for `tf.registerKernel`.
 * @remarks The stock kernel runs about 20 times slower with a transpose flag than an explicit
 * transpose followed by a plain product; this costs one extra copy of the flagged operand.
 * @category Kernels
 */
export function makeWasmBatchMatMulKernel(
  stockMatMul: KernelFunc,
  transpose: KernelFunc,
): KernelFunc {
  return (args) => {
    const attrs = args.attrs ?? {};
    if (!attrs.transposeA && !attrs.transposeB) return stockMatMul(args);
    const backend = args.backend as WasmBackendLike;
    const swapLastTwo = (t: TensorInfo): TensorInfo => {
      const rank = t.shape.length;
      const perm = Array.from({ length: rank }, (_, i) => i);
      perm[rank - 2] = rank - 1;
      perm[rank - 1] = rank - 2;
      return transpose({ inputs: { x: t }, backend, attrs: { perm } }) as TensorInfo;
    };
    const inputs = args.inputs as { a: TensorInfo; b: TensorInfo };
    const a = attrs.transposeA ? swapLastTwo(inputs.a) : inputs.a;
    const b = attrs.transposeB ? swapLastTwo(inputs.b) : inputs.b;
    const out = stockMatMul({
      inputs: { a, b },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    });
    if (a !== inputs.a) backend.disposeData(a.dataId);
    if (b !== inputs.b) backend.disposeData(b.dataId);
    return out;
  };
}
