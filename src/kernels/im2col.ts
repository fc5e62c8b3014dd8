import type { ConvGeometry } from './conv_geometry';

/**
 * Writes the transposed patch matrix `Pᵀ` of a chunk of NHWC images into `out`.
 *
 * Row `k = (r·kw + c)·Ci + ci` holds, for every output position `m = (n, oy, ox)` of the chunk,
 * `x[n, oy·sh + r·dh − padTop, ox·sw + c·dw − padLeft, ci]`, or 0 where that falls in the
 * padding. Then `dW = Pᵀ · dY` is the filter gradient, already laid out as
 * `[kh, kw, Ci, Co]`, and stride-2 convolutions never touch an inserted zero.
 *
 * @param x - Input values, `[batch, H, W, Ci]` flattened.
 * @param geometry - The convolution.
 * @param firstImage - Index of the first image of the chunk.
 * @param images - Images in the chunk.
 * @param out - Receives `Pᵀ`, shape `[kh·kw·Ci, images·Ho·Wo]`; every element is written.
 * @returns Nothing; fills `out`.
 * @category Kernels
 */
export function im2colTransposed(
  x: Float32Array,
  geometry: ConvGeometry,
  firstImage: number,
  images: number,
  out: Float32Array,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth } = geometry;
  const { strideHeight, strideWidth, padTop, padLeft } = geometry;
  const columns = images * outHeight * outWidth;
  const imageSize = inHeight * inWidth * inChannels;
  const rowSize = inWidth * inChannels;
  const step = strideWidth * inChannels;
  for (let r = 0; r < geometry.filterHeight; r++) {
    const offsetY = r * geometry.dilationHeight - padTop;
    for (let c = 0; c < geometry.filterWidth; c++) {
      const offsetX = c * geometry.dilationWidth - padLeft;
      // Output columns whose input column lies inside the image: [first, last).
      const [first, last] = insideRange(offsetX, strideWidth, inWidth, outWidth);
      for (let ci = 0; ci < inChannels; ci++) {
        let o = ((r * geometry.filterWidth + c) * inChannels + ci) * columns;
        for (let n = 0; n < images; n++) {
          const imageBase = (firstImage + n) * imageSize + ci;
          for (let oy = 0; oy < outHeight; oy++) {
            const iy = oy * strideHeight + offsetY;
            const rowEnd = o + outWidth;
            if (iy < 0 || iy >= inHeight) {
              for (; o < rowEnd; o++) out[o] = 0;
              continue;
            }
            let xi = imageBase + iy * rowSize + (first * strideWidth + offsetX) * inChannels;
            const start = o + first;
            const end = o + last;
            for (; o < start; o++) out[o] = 0;
            for (; o < end; o++, xi += step) out[o] = x[xi];
            for (; o < rowEnd; o++) out[o] = 0;
          }
        }
      }
    }
  }
}

/**
 * The output positions `[first, last)` along one axis whose input position
 * `o·stride + offset` lies in `[0, inSize)`; `first === last` when none does.
 */
function insideRange(
  offset: number,
  stride: number,
  inSize: number,
  outSize: number,
): [number, number] {
  const first = Math.min(outSize, Math.max(0, Math.ceil(-offset / stride)));
  const last = Math.max(first, Math.min(outSize, Math.ceil((inSize - offset) / stride)));
  return [first, last];
}

/**
 * Scatter-adds a column matrix back onto NHWC images (col2im), the adjoint of im2col.
 *
 * `cols[m, k]` with `m = (n, oy, ox)` and `k = (r·kw + c)·Ci + ci` is added to
 * `dx[n, oy·sh + r·dh − padTop, ox·sw + c·dw − padLeft, ci]`; entries landing in the padding
 * are dropped.
 *
 * @param cols - Column values, shape `[images·Ho·Wo, kh·kw·Ci]`.
 * @param geometry - The convolution whose input `dx` has the shape of.
 * @param firstImage - Index of the first image of the chunk in `dx`.
 * @param images - Images in the chunk.
 * @param dx - Accumulates the result, `[batch, H, W, Ci]` flattened; must start zeroed.
 * @returns Nothing; adds into `dx`.
 * @category Kernels
 */
export function col2imAdd(
  cols: Float32Array,
  geometry: ConvGeometry,
  firstImage: number,
  images: number,
  dx: Float32Array,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } =
    geometry;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft } = geometry;
  const patchSize = filterHeight * filterWidth * inChannels;
  const imageSize = inHeight * inWidth * inChannels;
  const step = strideWidth * inChannels;
  const ranges = Array.from({ length: filterWidth }, (_, c) =>
    insideRange(c * dilationWidth - padLeft, strideWidth, inWidth, outWidth),
  );
  for (let n = 0; n < images; n++) {
    const imageBase = (firstImage + n) * imageSize;
    for (let oy = 0; oy < outHeight; oy++) {
      const rowStart = (n * outHeight + oy) * outWidth * patchSize;
      for (let r = 0; r < filterHeight; r++) {
        const iy = oy * strideHeight + r * dilationHeight - padTop;
        if (iy < 0 || iy >= inHeight) continue;
        const xRow = imageBase + iy * inWidth * inChannels;
        for (let c = 0; c < filterWidth; c++) {
          const [first, last] = ranges[c];
          const ix = first * strideWidth + c * dilationWidth - padLeft;
          let ki = rowStart + first * patchSize + (r * filterWidth + c) * inChannels;
          let xi = xRow + ix * inChannels;
          if (inChannels === 1) {
            for (let ox = first; ox < last; ox++, ki += patchSize, xi += step) dx[xi] += cols[ki];
          } else {
            for (let ox = first; ox < last; ox++, ki += patchSize, xi += step) {
              for (let ci = 0; ci < inChannels; ci++) dx[xi + ci] += cols[ki + ci];
            }
          }
        }
      }
    }
  }
}
