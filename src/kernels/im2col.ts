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
  for (let r = 0; r < geometry.filterHeight; r++) {
    const offsetY = r * geometry.dilationHeight - padTop;
    for (let c = 0; c < geometry.filterWidth; c++) {
      const offsetX = c * geometry.dilationWidth - padLeft;
      const rowBase = (r * geometry.filterWidth + c) * inChannels * columns;
      let m = 0;
      for (let n = 0; n < images; n++) {
        const imageBase = (firstImage + n) * imageSize;
        for (let oy = 0; oy < outHeight; oy++) {
          const iy = oy * strideHeight + offsetY;
          if (iy < 0 || iy >= inHeight) {
            for (let ci = 0; ci < inChannels; ci++) {
              const start = rowBase + ci * columns + m;
              for (let ox = 0; ox < outWidth; ox++) out[start + ox] = 0;
            }
            m += outWidth;
            continue;
          }
          const xRow = imageBase + iy * rowSize;
          for (let ox = 0; ox < outWidth; ox++, m++) {
            const ix = ox * strideWidth + offsetX;
            let o = rowBase + m;
            if (ix < 0 || ix >= inWidth) {
              for (let ci = 0; ci < inChannels; ci++, o += columns) out[o] = 0;
            } else {
              let xi = xRow + ix * inChannels;
              for (let ci = 0; ci < inChannels; ci++, o += columns) out[o] = x[xi++];
            }
          }
        }
      }
    }
  }
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
  let colRow = 0;
  for (let n = 0; n < images; n++) {
    const imageBase = (firstImage + n) * imageSize;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, colRow += patchSize) {
        for (let r = 0; r < filterHeight; r++) {
          const iy = oy * strideHeight + r * dilationHeight - padTop;
          if (iy < 0 || iy >= inHeight) continue;
          const xRow = imageBase + iy * inWidth * inChannels;
          for (let c = 0; c < filterWidth; c++) {
            const ix = ox * strideWidth + c * dilationWidth - padLeft;
            if (ix < 0 || ix >= inWidth) continue;
            const xi = xRow + ix * inChannels;
            const ki = colRow + (r * filterWidth + c) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) dx[xi + ci] += cols[ki + ci];
          }
        }
      }
    }
  }
}
