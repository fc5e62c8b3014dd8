import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from './wasm_host';

type HeapArray = Float32Array | Int32Array | Uint8Array;

/** The whole wasm heap as the tensor's element type, and the tensor's first element in it. */
function heapOf(backend: WasmBackendLike, info: TensorInfo): { heap: HeapArray; offset: number } {
  const view = backend.typedArrayFromHeap(info) as HeapArray;
  const Type = view.constructor as new (buffer: ArrayBufferLike) => HeapArray;
  return { heap: new Type(view.buffer), offset: view.byteOffset / view.BYTES_PER_ELEMENT };
}

/** Fills `heap[at + filled, at + total)` by repeating `heap[at, at + filled)`, doubling. */
function repeatBlock(heap: HeapArray, at: number, filled: number, total: number): void {
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    heap.copyWithin(at + filled, at, at + n);
    filled += n;
  }
}

/**
 * Makes a wasm `Tile` kernel that builds the output from block copies inside the wasm heap:
 * each input row is copied once, then every axis's block is repeated by doubling copies, so a
 * batch-norm gradient's tile of `[1, 1, 1, C]` to `[N, H, W, C]` is a few dozen `memmove`s.
 *
 * @param stock - The stock wasm `Tile` kernel, used when the innermost rows are short (many
 *   small copies would be slower than its element loop).
 * @returns A kernel function for `tf.registerKernel`.
 * @category Kernels
 */
export function makeWasmTileKernel(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const reps = (args.attrs as { reps: number[] }).reps;
    const shape = x.shape;
    const rank = shape.length;
    const outShape = shape.map((size, i) => size * reps[i]);
    const outSize = outShape.reduce((a, b) => a * b, 1);
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    if (rank === 0 || outSize === 0 || x.dtype === 'string' || rows * 64 > outSize)
      return stock(args);
    const backend = args.backend as WasmBackendLike;
    const out = backend.makeOutput(outShape, x.dtype);
    const source = heapOf(backend, x);
    const target = heapOf(backend, out);
    const heap = target.heap;
    // Elements in one step of each axis, in the input and in the output.
    const inStep = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const outStep = outShape.map((_, i) => outShape.slice(i + 1).reduce((a, b) => a * b, 1));
    const fill = (axis: number, from: number, to: number): void => {
      if (axis === rank - 1) {
        heap.copyWithin(to, from, from + shape[axis]);
      } else {
        for (let i = 0; i < shape[axis]; i++)
          fill(axis + 1, from + i * inStep[axis], to + i * outStep[axis]);
      }
      repeatBlock(heap, to, shape[axis] * outStep[axis], outShape[axis] * outStep[axis]);
    };
    fill(0, source.offset, target.offset);
    return out;
  };
}
