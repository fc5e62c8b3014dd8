import type { TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv_geometry';
import { TAPS_WASM_BASE64 } from './wasm/taps_module';
import type { WasmBackendLike } from './wasm_host';

/** The two functions of taps.wat; every argument is an i32, addresses in bytes. */
interface TapsExports {
  filterGrad(...args: number[]): void;
  inputGrad(...args: number[]): void;
}

/** Compiled once; instantiated once per backend memory (`null`: this engine cannot). */
let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, TapsExports | null>();

function tapsModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(base64Bytes(TAPS_WASM_BASE64));
    } catch {
      compiled = null; // no WebAssembly SIMD in this engine
    }
  }
  return compiled;
}

function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

/**
 * The SIMD tap kernels bound to the wasm backend's own memory, or `null` when the backend does
 * not expose a plain `WebAssembly.Memory` (the threaded build's memory is shared) or the
 * engine lacks WebAssembly SIMD; callers then take another path.
 */
function tapsFor(backend: WasmBackendLike): TapsExports | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  let found = instances.get(memory);
  if (found === undefined) {
    const module = tapsModule();
    try {
      found =
        module &&
        (new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as TapsExports);
    } catch {
      found = null;
    }
    instances.set(memory, found);
  }
  return found;
}

/** The padded image the windows move over: just large enough for every tap of every window. */
function paddedSize(geometry: ConvGeometry): { height: number; width: number } {
  const g = geometry;
  return {
    height: (g.outHeight - 1) * g.strideHeight + (g.filterHeight - 1) * g.dilationHeight + 1,
    width: (g.outWidth - 1) * g.strideWidth + (g.filterWidth - 1) * g.dilationWidth + 1,
  };
}

/** Byte offset of each filter row (kh, kw, ci) from a window's corner; `count` ≥ the taps. */
function tapOffsets(geometry: ConvGeometry, paddedWidth: number, count: number): Int32Array {
  const g = geometry;
  const offsets = new Int32Array(count);
  let t = 0;
  for (let i = 0; i < g.filterHeight; i++) {
    for (let j = 0; j < g.filterWidth; j++) {
      const pixel = i * g.dilationHeight * paddedWidth + j * g.dilationWidth;
      for (let c = 0; c < g.inChannels; c++) offsets[t++] = (pixel * g.inChannels + c) * 4;
    }
  }
  return offsets; // the rest stay 0: extra taps read or write a window's first element
}

/** Byte address of a tensor on the wasm heap. */
function address(backend: WasmBackendLike, info: TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}

function floats(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Copies image rows between the unpadded `[N, H, W, Ci]` and the padded layout. */
function copyRows(
  geometry: ConvGeometry,
  padded: { height: number; width: number },
  visit: (plainStart: number, paddedStart: number, length: number) => void,
): void {
  const g = geometry;
  const ci = g.inChannels;
  const columns = Math.max(0, Math.min(g.inWidth, padded.width - g.padLeft));
  for (let b = 0; b < g.batch; b++) {
    for (let y = 0; y < g.inHeight; y++) {
      const row = g.padTop + y;
      if (row >= padded.height) break;
      visit(
        (b * g.inHeight + y) * g.inWidth * ci,
        ((b * padded.height + row) * padded.width + g.padLeft) * ci,
        columns * ci,
      );
    }
  }
}

/**
 * Tells whether the tap kernels handle a geometry on this backend: few input channels (each
 * filter row is one tap), output channels in whole SIMD blocks, and the SIMD module usable.
 *
 * @param backend - The wasm backend.
 * @param geometry - The convolution.
 * @param channelBlock - Output channels per block: 16 for the filter gradient, 4 for the input
 *   gradient.
 * @returns `true` when {@link conv2dBackpropFilterByTaps} / {@link conv2dBackpropInputByTaps}
 *   apply.
 * @category Kernels
 */
export function tapsApply(
  backend: WasmBackendLike,
  geometry: ConvGeometry,
  channelBlock: 8 | 16,
): boolean {
  return (
    geometry.outChannels % channelBlock === 0 &&
    geometry.padTop >= 0 &&
    geometry.padLeft >= 0 &&
    tapsFor(backend) !== null
  );
}

/**
 * Computes the filter gradient of a convolution with few input channels by the SIMD kernel of
 * taps.wat: `dW[t, c] = Σ x[window + tap t] · dy[·, c]` over every output position, two filter
 * rows by 16 output channels at a time, read straight from a zero-padded copy of `x`. Nothing
 * is packed or gathered into columns, and stride-2 layers visit only the real positions.
 *
 * @param backend - The wasm backend; {@link tapsApply} must hold with block 16.
 * @param x - Layer input `[N, H, W, Ci]`, float32.
 * @param dy - Gradient of the layer output `[N, Ho, Wo, Co]`, float32.
 * @param geometry - The convolution.
 * @returns A new tensor `[kh, kw, Ci, Co]` owned by the caller.
 * @category Kernels
 */
export function conv2dBackpropFilterByTaps(
  backend: WasmBackendLike,
  x: TensorInfo,
  dy: TensorInfo,
  geometry: ConvGeometry,
): TensorInfo {
  const kernels = tapsFor(backend) as TapsExports;
  const g = geometry;
  const padded = paddedSize(g);
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const pairs = Math.ceil(taps / 2);
  const image = backend.makeOutput(
    [g.batch * padded.height * padded.width * g.inChannels],
    'float32',
  );
  const offsets = backend.makeOutput([2 * pairs], 'int32');
  const dw = backend.makeOutput(
    [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels],
    'float32',
  );
  // An odd tap count gets one spare row, dropped after.
  const sums = 2 * pairs === taps ? dw : backend.makeOutput([2 * pairs * g.outChannels], 'float32');
  const imageView = floats(backend, image);
  imageView.fill(0);
  const xView = floats(backend, x);
  copyRows(g, padded, (plain, pad, length) =>
    imageView.set(xView.subarray(plain, plain + length), pad),
  );
  (backend.typedArrayFromHeap(offsets) as Int32Array).set(tapOffsets(g, padded.width, 2 * pairs));
  floats(backend, sums).fill(0);
  kernels.filterGrad(
    address(backend, image),
    address(backend, dy),
    address(backend, sums),
    address(backend, offsets),
    g.batch,
    padded.height * padded.width * g.inChannels * 4,
    g.outHeight,
    g.outWidth,
    g.strideHeight * padded.width * g.inChannels * 4,
    g.strideWidth * g.inChannels * 4,
    g.outChannels,
    pairs,
  );
  if (sums !== dw) {
    floats(backend, dw).set(floats(backend, sums).subarray(0, taps * g.outChannels));
    backend.disposeData(sums.dataId);
  }
  backend.disposeData(image.dataId);
  backend.disposeData(offsets.dataId);
  return dw;
}

/**
 * Computes the input gradient of a convolution with few input channels (the forward pass of a
 * transposed convolution with few output channels) by the SIMD kernel of taps.wat: for every
 * output position the 64-lane dot products of `dy` with four filter rows at a time, added into
 * a zero-padded `dx` at the rows' taps, then cropped. Stride-2 layers touch no inserted zero.
 *
 * @param backend - The wasm backend; {@link tapsApply} must hold with block 4.
 * @param dy - `[N, Ho, Wo, Co]`, float32.
 * @param filter - `[kh, kw, Ci, Co]`, float32.
 * @param geometry - The convolution.
 * @returns A new tensor `[N, H, W, Ci]` owned by the caller.
 * @category Kernels
 */
export function conv2dBackpropInputByTaps(
  backend: WasmBackendLike,
  dy: TensorInfo,
  filter: TensorInfo,
  geometry: ConvGeometry,
): TensorInfo {
  const kernels = tapsFor(backend) as TapsExports;
  const g = geometry;
  const padded = paddedSize(g);
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const quads = Math.ceil(taps / 4);
  const image = backend.makeOutput(
    [g.batch * padded.height * padded.width * g.inChannels],
    'float32',
  );
  const offsets = backend.makeOutput([4 * quads], 'int32');
  // A tap count that is not a multiple of 4 gets zero filter rows.
  const rows =
    4 * quads === taps ? filter : backend.makeOutput([4 * quads * g.outChannels], 'float32');
  if (rows !== filter) {
    const view = floats(backend, rows);
    view.fill(0);
    view.set(floats(backend, filter));
  }
  floats(backend, image).fill(0);
  (backend.typedArrayFromHeap(offsets) as Int32Array).set(tapOffsets(g, padded.width, 4 * quads));
  kernels.inputGrad(
    address(backend, dy),
    address(backend, rows),
    address(backend, image),
    address(backend, offsets),
    g.batch,
    padded.height * padded.width * g.inChannels * 4,
    g.outHeight,
    g.outWidth,
    g.strideHeight * padded.width * g.inChannels * 4,
    g.strideWidth * g.inChannels * 4,
    g.outChannels,
    quads,
  );
  const dx = backend.makeOutput([g.batch, g.inHeight, g.inWidth, g.inChannels], 'float32');
  const dxView = floats(backend, dx);
  const imageView = floats(backend, image);
  dxView.fill(0); // positions no window reaches (past the last tap) get no gradient
  copyRows(g, padded, (plain, pad, length) =>
    dxView.set(imageView.subarray(pad, pad + length), plain),
  );
  if (rows !== filter) backend.disposeData(rows.dataId);
  backend.disposeData(image.dataId);
  backend.disposeData(offsets.dataId);
  return dx;
}
