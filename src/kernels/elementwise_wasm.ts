import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from './wasm_host';

type HeapArray = Float32Array | Int32Array | Uint8Array;

/** Below this many elements the stock kernel's call overhead does not matter. */
const MIN_SIZE = 1024;

/** A view of the tensor's elements on the wasm heap (re-take after any allocation). */
function view(backend: WasmBackendLike, info: TensorInfo): HeapArray {
  return backend.typedArrayFromHeap(info) as HeapArray;
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((size, i) => size === b[i]);
}

/**
 * Makes a wasm `LeakyRelu` kernel that runs one loop over the wasm heap in JavaScript:
 * `x < 0 ? alpha·x : x`, the stock kernel's formula, without branches. The stock kernel runs at about a tenth
 * of the speed of the backend's own multiply on the hidden maps of a DCGAN.
 *
 * @param stock - the stock wasm `LeakyRelu` kernel, used for small and non-float32 inputs.
 * @returns a kernel function for `tf.registerKernel`.
 * @category Kernels
 */
export function makeWasmLeakyReluKernel(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const alpha = Math.fround((args.attrs as { alpha: number }).alpha);
    const size = sizeOf(x.shape);
    if (x.dtype !== 'float32' || size < MIN_SIZE) return stock(args);
    const backend = args.backend as WasmBackendLike;
    const out = backend.makeOutput(x.shape, 'float32');
    const input = view(backend, x);
    const output = view(backend, out);
    // Branch-free, since the signs of a hidden map are a coin toss for the branch predictor:
    // the factor is exactly 1 or alpha, and the double product rounds to the float32 product.
    const offset = alpha - 1;
    for (let i = 0; i < size; i++) {
      const v = input[i];
      output[i] = v * (1 + +(v < 0) * offset);
    }
    return out;
  };
}

/**
 * Makes a wasm `Greater` kernel that compares in one JavaScript loop over the wasm heap when
 * both inputs have the same shape or one is a single element (leaky ReLU's gradient compares
 * a whole map with `0`); other broadcasts go to the stock kernel. NaN compares false, as in
 * the stock kernel.
 *
 * @param stock - the stock wasm `Greater` kernel.
 * @returns a kernel function for `tf.registerKernel`.
 * @category Kernels
 */
export function makeWasmGreaterKernel(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const sizeA = sizeOf(a.shape);
    const sizeB = sizeOf(b.shape);
    const shape = sizeA >= sizeB ? a.shape : b.shape;
    const size = sizeOf(shape);
    const fits =
      sameShape(a.shape, b.shape) ||
      (sizeA === 1 && a.shape.length <= b.shape.length) ||
      (sizeB === 1 && b.shape.length <= a.shape.length);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || !fits || size < MIN_SIZE) {
      return stock(args);
    }
    const backend = args.backend as WasmBackendLike;
    const out = backend.makeOutput(shape, 'bool');
    const left = view(backend, a);
    const right = view(backend, b);
    const output = view(backend, out);
    if (sizeB === 1 && sizeA !== 1) {
      const r = right[0];
      for (let i = 0; i < size; i++) output[i] = +(left[i] > r);
    } else if (sizeA === 1 && sizeB !== 1) {
      const l = left[0];
      for (let i = 0; i < size; i++) output[i] = +(l > right[i]);
    } else {
      for (let i = 0; i < size; i++) output[i] = +(left[i] > right[i]);
    }
    return out;
  };
}
