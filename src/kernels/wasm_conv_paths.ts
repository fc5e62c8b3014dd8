import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv_geometry';
import type { WasmBackendLike } from './wasm_host';

/**
 * The stock wasm kernels the convolution-based gradient paths are built from.
 *
 * @category Kernels
 */
export interface WasmConvKernels {
  /** The stock wasm `Conv2D` kernel (XNNPACK). */
  conv2d: KernelFunc;
  /** The stock wasm `Transpose` kernel. */
  transpose: KernelFunc;
}

/**
 * One output phase along one axis of a strided input gradient: the input positions
 * `i = stride·a + phase` receive `Σ_j dyPadded[a + j] · w[taps[j]]`, a stride-1 correlation.
 */
interface AxisPhase {
  phase: number;
  /** Positions of this phase, `ceil((inSize − phase) / stride)`. */
  count: number;
  /** Filter taps in correlation order (flipped), possibly none. */
  taps: number[];
  padBefore: number;
  padAfter: number;
}

/**
 * Splits one axis of a transposed convolution into `stride` stride-1 correlations.
 *
 * For input position `i = s·a + p`, the taps that reach it are `r = q + s·t` with
 * `q = (p + pad) mod s`, from output `o = a + floor((p + pad) / s) − t`.
 */
function axisPhases(
  inSize: number,
  outSize: number,
  kernel: number,
  stride: number,
  pad: number,
): AxisPhase[] {
  const phases: AxisPhase[] = [];
  for (let phase = 0; phase < Math.min(stride, inSize); phase++) {
    const count = Math.ceil((inSize - phase) / stride);
    const q = (phase + pad) % stride;
    const base = Math.floor((phase + pad) / stride);
    const tapCount = q < kernel ? Math.ceil((kernel - q) / stride) : 0;
    const taps = Array.from({ length: tapCount }, (_, j) => q + stride * (tapCount - 1 - j));
    const padBefore = tapCount - 1 - base;
    const padAfter = count - outSize - padBefore + tapCount - 1;
    phases.push({ phase, count, taps, padBefore, padAfter });
  }
  return phases;
}

function heapOf(
  backend: WasmBackendLike,
  info: TensorInfo,
): { heap: Float32Array; offset: number } {
  const view = backend.typedArrayFromHeap(info) as Float32Array;
  return { heap: new Float32Array(view.buffer), offset: view.byteOffset / 4 };
}

/**
 * Tells whether {@link conv2dBackpropInputByPhases} handles a geometry: no dilation, and
 * every phase's padding non-negative (true for 'same' and 'valid' with the usual sizes).
 *
 * @param geometry - The convolution.
 * @returns `true` when the phase path applies.
 * @category Kernels
 */
export function phasesApply(geometry: ConvGeometry): boolean {
  if (geometry.dilationHeight !== 1 || geometry.dilationWidth !== 1) return false;
  const rows = axisPhases(
    geometry.inHeight,
    geometry.outHeight,
    geometry.filterHeight,
    geometry.strideHeight,
    geometry.padTop,
  );
  const cols = axisPhases(
    geometry.inWidth,
    geometry.outWidth,
    geometry.filterWidth,
    geometry.strideWidth,
    geometry.padLeft,
  );
  return [...rows, ...cols].every(
    (p) => p.taps.length === 0 || (p.padBefore >= 0 && p.padAfter >= 0),
  );
}

/**
 * Computes the input gradient of a strided convolution (the forward pass of a transposed
 * convolution) as `stride²` stride-1 convolutions of `dy` run by XNNPACK, one per output
 * phase, each with the sub-filter of the taps that reach that phase, flipped and with its
 * channel axes swapped: `dx[n, s·a + py, s·b + px, ci] = conv(dy, W_phase)[n, a, b, ci]`.
 *
 * No product touches an inserted zero and no column buffer is scattered back; the phases are
 * interleaved into `dx` by contiguous channel runs.
 *
 * @param backend - The wasm backend.
 * @param kernels - The stock `Conv2D` and `Transpose` kernels.
 * @param dy - `[N, Ho, Wo, Co]`, float32.
 * @param filter - `[kh, kw, Ci, Co]`, float32.
 * @param geometry - The convolution; {@link phasesApply} must hold.
 * @returns A new tensor `[N, H, W, Ci]` owned by the caller.
 * @category Kernels
 */
export function conv2dBackpropInputByPhases(
  backend: WasmBackendLike,
  kernels: WasmConvKernels,
  dy: TensorInfo,
  filter: TensorInfo,
  geometry: ConvGeometry,
): TensorInfo {
  const { batch, inHeight, inWidth, inChannels, outChannels, filterWidth } = geometry;
  const rows = axisPhases(
    inHeight,
    geometry.outHeight,
    geometry.filterHeight,
    geometry.strideHeight,
    geometry.padTop,
  );
  const cols = axisPhases(
    inWidth,
    geometry.outWidth,
    filterWidth,
    geometry.strideWidth,
    geometry.padLeft,
  );
  const dx = backend.makeOutput([batch, inHeight, inWidth, inChannels], 'float32');
  const single = rows.length === 1 && cols.length === 1;
  if (!single) (backend.typedArrayFromHeap(dx) as Float32Array).fill(0);
  for (const row of rows) {
    for (const col of cols) {
      if (row.taps.length === 0 || col.taps.length === 0) continue;
      // Sub-filter [Ty, Tx, Co, Ci] from W [kh, kw, Ci, Co].
      const sub = backend.makeOutput(
        [row.taps.length, col.taps.length, outChannels, inChannels],
        'float32',
      );
      const w = backend.typedArrayFromHeap(filter) as Float32Array;
      const f = backend.typedArrayFromHeap(sub) as Float32Array;
      let o = 0;
      for (const r of row.taps) {
        for (const c of col.taps) {
          const tap = (r * filterWidth + c) * inChannels * outChannels;
          for (let co = 0; co < outChannels; co++) {
            for (let ci = 0, wi = tap + co; ci < inChannels; ci++, wi += outChannels)
              f[o++] = w[wi];
          }
        }
      }
      const pad = [
        [0, 0],
        [row.padBefore, row.padAfter],
        [col.padBefore, col.padAfter],
        [0, 0],
      ];
      const attrs = { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1] };
      // [N, row.count, col.count, Ci]
      const part = kernels.conv2d({
        inputs: { x: dy, filter: sub },
        backend,
        attrs,
      } as never) as TensorInfo;
      backend.disposeData(sub.dataId);
      if (single) {
        backend.disposeData(dx.dataId);
        return part;
      }
      interleave(backend, part, dx, geometry, row, col);
      backend.disposeData(part.dataId);
    }
  }
  return dx;
}

/** Copies a phase's output `[N, Ay, Ax, Ci]` into `dx` at rows `s·a + py`, columns `s·b + px`. */
function interleave(
  backend: WasmBackendLike,
  part: TensorInfo,
  dx: TensorInfo,
  geometry: ConvGeometry,
  row: AxisPhase,
  col: AxisPhase,
): void {
  const { batch, inHeight, inWidth, inChannels, strideHeight, strideWidth } = geometry;
  const source = heapOf(backend, part);
  const target = heapOf(backend, dx);
  const heap = source.heap;
  let from = source.offset;
  for (let n = 0; n < batch; n++) {
    for (let a = 0; a < row.count; a++) {
      const y = strideHeight * a + row.phase;
      let to = target.offset + ((n * inHeight + y) * inWidth + col.phase) * inChannels;
      for (let b = 0; b < col.count; b++, from += inChannels, to += strideWidth * inChannels) {
        heap.copyWithin(to, from, from + inChannels);
      }
    }
  }
}

/**
 * Tells whether {@link conv2dBackpropFilterByConv} handles a geometry: no dilation, and the
 * input reaches past the last tap of the last output (no rows or columns to crop).
 *
 * @param geometry - The convolution.
 * @returns `true` when the convolution path applies.
 * @category Kernels
 */
export function filterConvApplies(geometry: ConvGeometry): boolean {
  if (geometry.dilationHeight !== 1 || geometry.dilationWidth !== 1) return false;
  return filterConvPad(geometry).every((p) => p >= 0);
}

/** [bottom, right] padding of the filter-gradient convolution. */
function filterConvPad(g: ConvGeometry): [number, number] {
  return [
    g.filterHeight + (g.outHeight - 1) * g.strideHeight - g.inHeight - g.padTop,
    g.filterWidth + (g.outWidth - 1) * g.strideWidth - g.inWidth - g.padLeft,
  ];
}

/**
 * Computes the filter gradient of a strided convolution as one XNNPACK convolution:
 * `dW[r, c, ci, co] = Σ_{n,oy,ox} x[n, s·oy + r − pad, s·ox + c − pad, ci] · dy[n, oy, ox, co]`
 * is the convolution of `xᵀ [Ci, H, W, N]` (images as channels) by `dyᵀ [Ho, Wo, N, Co]`
 * dilated by the stride, giving `[Ci, kh, kw, Co]`, transposed to `[kh, kw, Ci, Co]`.
 *
 * XNNPACK reads the patches through an indirection buffer, so no patch matrix is written.
 *
 * @param backend - The wasm backend.
 * @param kernels - The stock `Conv2D` and `Transpose` kernels.
 * @param x - `[N, H, W, Ci]`, float32.
 * @param dy - `[N, Ho, Wo, Co]`, float32.
 * @param geometry - The convolution; {@link filterConvApplies} must hold.
 * @returns A new tensor `[kh, kw, Ci, Co]` owned by the caller.
 * @category Kernels
 */
export function conv2dBackpropFilterByConv(
  backend: WasmBackendLike,
  kernels: WasmConvKernels,
  x: TensorInfo,
  dy: TensorInfo,
  geometry: ConvGeometry,
): TensorInfo {
  const transpose = (t: TensorInfo, perm: number[]) =>
    kernels.transpose({ inputs: { x: t }, backend, attrs: { perm } } as never) as TensorInfo;
  const [padBottom, padRight] = filterConvPad(geometry);
  const xT = transpose(x, [3, 1, 2, 0]);
  const dyT = transpose(dy, [1, 2, 0, 3]);
  const attrs = {
    strides: [1, 1],
    pad: [
      [0, 0],
      [geometry.padTop, padBottom],
      [geometry.padLeft, padRight],
      [0, 0],
    ],
    dataFormat: 'NHWC',
    dilations: [geometry.strideHeight, geometry.strideWidth],
  };
  // [Ci, kh, kw, Co]
  const dWT = kernels.conv2d({
    inputs: { x: xT, filter: dyT },
    backend,
    attrs,
  } as never) as TensorInfo;
  backend.disposeData(xT.dataId);
  backend.disposeData(dyT.dataId);
  const dW = transpose(dWT, [1, 2, 0, 3]);
  backend.disposeData(dWT.dataId);
  return dW;
}
