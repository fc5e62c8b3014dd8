import type { TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv_geometry';
import { type TapsExports, tapsFor } from './wasm/taps_instance';
import type { WasmBackendLike } from './wasm_host';

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

/** A zero-padded copy of `x` on the heap, `[N, Hp, Wp, Ci]`, owned by the caller. */
function paddedInput(
  backend: WasmBackendLike,
  x: TensorInfo,
  geometry: ConvGeometry,
  padded: { height: number; width: number },
): TensorInfo {
  const g = geometry;
  const size = g.batch * padded.height * padded.width * g.inChannels;
  const image = backend.makeOutput([size], 'float32');
  const imageView = floats(backend, image);
  imageView.fill(0);
  const xView = floats(backend, x);
  copyRows(g, padded, (plain, pad, length) =>
    imageView.set(xView.subarray(plain, plain + length), pad),
  );
  return image;
}

/** The tap offsets on the heap as int32, `count` of them, owned by the caller. */
function tapTable(
  backend: WasmBackendLike,
  geometry: ConvGeometry,
  paddedWidth: number,
  count: number,
): TensorInfo {
  const table = backend.makeOutput([count], 'int32');
  (backend.typedArrayFromHeap(table) as Int32Array).set(tapOffsets(geometry, paddedWidth, count));
  return table;
}

/** The i32 arguments every kernel takes after its four addresses, up to the channel count. */
function windowArgs(g: ConvGeometry, padded: { height: number; width: number }): number[] {
  const pixelBytes = g.inChannels * 4;
  return [
    g.batch,
    padded.height * padded.width * pixelBytes,
    g.outHeight,
    g.outWidth,
    g.strideHeight * padded.width * pixelBytes,
    g.strideWidth * pixelBytes,
    g.outChannels,
  ];
}

/**
 * Filter rows per forward pass: 256 rows of one 16-channel block are 16 KB, which stay in the
 * first-level cache while every output position reads them.
 */
const FORWARD_CHUNK_TAPS = 256;

/** What every kernel call starts from: the module, the padded size, the tap count, the args. */
function callSetUp(backend: WasmBackendLike, geometry: ConvGeometry) {
  const g = geometry;
  const padded = paddedSize(g);
  return {
    kernels: tapsFor(backend) as TapsExports,
    g,
    padded,
    taps: g.filterHeight * g.filterWidth * g.inChannels,
    args: windowArgs(g, padded),
  };
}

function free(backend: WasmBackendLike, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * Tells whether the tap kernels handle a geometry on this backend: output channels in whole
 * SIMD blocks, padding that adds rather than crops, and the SIMD module usable here.
 *
 * @param backend - The wasm backend.
 * @param geometry - The convolution.
 * @param channelBlock - Output channels per block: 16 for the forward pass and the filter
 *   gradient, 8 for the input gradient.
 * @returns `true` when {@link conv2dByTaps}, {@link conv2dBackpropFilterByTaps} or
 *   {@link conv2dBackpropInputByTaps} (by the block given) apply.
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
 * Computes a forward 2-D convolution by the SIMD kernel of taps.wat:
 * `y[·, c] = Σ_t x[window + tap t] · W[t, c]`, two output positions by 16 output channels at
 * a time, read straight from a zero-padded copy of `x`, with no column buffer and no packing.
 * Long filters run 256 rows at a time, each chunk adding into `y`, so the rows being read stay
 * in the first-level cache (a 256→512 4×4 layer: 10 GFLOP/s in one pass, 32 in chunks).
 *
 * @param backend - The wasm backend; {@link tapsApply} must hold with block 16.
 * @param x - Input `[N, H, W, Ci]`, float32.
 * @param filter - `[kh, kw, Ci, Co]`, float32.
 * @param geometry - The convolution.
 * @returns A new tensor `[N, Ho, Wo, Co]` owned by the caller.
 * @category Kernels
 */
export function conv2dByTaps(
  backend: WasmBackendLike,
  x: TensorInfo,
  filter: TensorInfo,
  geometry: ConvGeometry,
): TensorInfo {
  const { kernels, g, padded, taps, args } = callSetUp(backend, geometry);
  const image = paddedInput(backend, x, g, padded);
  const offsets = tapTable(backend, g, padded.width, taps);
  const y = backend.makeOutput([g.batch, g.outHeight, g.outWidth, g.outChannels], 'float32');
  const [xAt, wAt, yAt, tapsAt] = [image, filter, y, offsets].map((t) => address(backend, t));
  for (let first = 0; first < taps; first += FORWARD_CHUNK_TAPS) {
    const count = Math.min(FORWARD_CHUNK_TAPS, taps - first);
    const rowBytes = first * g.outChannels * 4;
    kernels.forward(
      xAt,
      wAt + rowBytes,
      yAt,
      tapsAt + first * 4,
      ...args,
      count,
      first > 0 ? 1 : 0,
    );
  }
  free(backend, image, offsets);
  return y;
}

/**
 * Computes the filter gradient of a 2-D convolution by the SIMD kernel of taps.wat:
 * `dW[t, c] = Σ x[window + tap t] · dy[·, c]` over every output position, two filter rows by
 * 16 output channels at a time, read straight from a zero-padded copy of `x`. Nothing is
 * packed or gathered into columns, and stride-2 layers visit only the real positions.
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
  const { kernels, g, padded, taps, args } = callSetUp(backend, geometry);
  const pairs = Math.ceil(taps / 2);
  const image = paddedInput(backend, x, g, padded);
  const offsets = tapTable(backend, g, padded.width, 2 * pairs);
  const shape = [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels];
  const dw = backend.makeOutput(shape, 'float32');
  // An odd tap count gets one spare row, dropped after.
  const sums = 2 * pairs === taps ? dw : backend.makeOutput([2 * pairs * g.outChannels], 'float32');
  floats(backend, sums).fill(0);
  kernels.filterGrad(
    address(backend, image),
    address(backend, dy),
    address(backend, sums),
    address(backend, offsets),
    ...args,
    pairs,
  );
  if (sums !== dw) {
    floats(backend, dw).set(floats(backend, sums).subarray(0, taps * g.outChannels));
    free(backend, sums);
  }
  free(backend, image, offsets);
  return dw;
}

/**
 * Computes the input gradient of a 2-D convolution (the forward pass of a transposed
 * convolution) by the SIMD kernel of taps.wat: for every output position the dot products of
 * `dy` with four filter rows at a time, added into a zero-padded `dx` at the rows' taps, then
 * cropped. Stride-2 layers touch no inserted zero.
 *
 * @param backend - The wasm backend; {@link tapsApply} must hold with block 8.
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
  const { kernels, g, padded, taps, args } = callSetUp(backend, geometry);
  const quads = Math.ceil(taps / 4);
  const size = g.batch * padded.height * padded.width * g.inChannels;
  const image = backend.makeOutput([size], 'float32');
  floats(backend, image).fill(0);
  const offsets = tapTable(backend, g, padded.width, 4 * quads);
  // A tap count that is not a multiple of 4 gets zero filter rows.
  const rows =
    4 * quads === taps ? filter : backend.makeOutput([4 * quads * g.outChannels], 'float32');
  if (rows !== filter) {
    const view = floats(backend, rows);
    view.fill(0);
    view.set(floats(backend, filter));
  }
  kernels.inputGrad(
    address(backend, dy),
    address(backend, rows),
    address(backend, image),
    address(backend, offsets),
    ...args,
    quads,
  );
  const dx = backend.makeOutput([g.batch, g.inHeight, g.inWidth, g.inChannels], 'float32');
  const dxView = floats(backend, dx);
  const imageView = floats(backend, image);
  dxView.fill(0); // positions no window reaches (past the last tap) get no gradient
  copyRows(g, padded, (plain, pad, length) =>
    dxView.set(imageView.subarray(pad, pad + length), plain),
  );
  if (rows !== filter) free(backend, rows);
  free(backend, image, offsets);
  return dx;
}
