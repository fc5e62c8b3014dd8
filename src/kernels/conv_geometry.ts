import { backend_util } from '@tensorflow/tfjs';

/**
 * Padding as the conv kernels accept it: a name, one number for all sides, or explicit pairs.
 *
 * @category Kernels
 */
export type ConvPadding = 'same' | 'valid' | number | backend_util.ExplicitPadding;

/**
 * Everything the im2col / col2im loops need to know about one NHWC 2-D convolution.
 *
 * @remarks Derived from tfjs's own `backend_util.computeConv2DInfo`, so output sizes and the
 * split of 'same' padding between the two sides agree with every stock kernel.
 *
 * @category Kernels
 */
export interface ConvGeometry {
  /** Images in the batch, `N`. */
  batch: number;
  /** Input height `H`, width `W`, channels `Ci`. */
  inHeight: number;
  inWidth: number;
  inChannels: number;
  /** Output height `Ho`, width `Wo`, channels `Co`. */
  outHeight: number;
  outWidth: number;
  outChannels: number;
  /** Filter height `kh` and width `kw` (before dilation). */
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  /** Zero rows added above the input and zero columns added to its left. */
  padTop: number;
  padLeft: number;
}

/**
 * Attributes shared by `Conv2D`, `Conv2DBackpropFilter` and `Conv2DBackpropInput`.
 *
 * @remarks `dataFormat` must be `'NHWC'` (or absent) for the training kernels themselves.
 * @category Kernels
 */
export interface ConvAttrs {
  strides: number | [number, number];
  pad: ConvPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  /** Not passed by tfjs's gradient ops (they refuse dilation); accepted for direct callers. */
  dilations?: number | [number, number];
}

/**
 * Computes the geometry of an NHWC 2-D convolution of `inShape` by `filterShape`.
 *
 * @param inShape - Input shape `[batch, height, width, inChannels]`.
 * @param filterShape - Filter shape `[filterHeight, filterWidth, inChannels, outChannels]`.
 * @param attrs - Strides, padding, rounding mode and optional dilations, as tfjs passes them.
 * @returns The sizes, strides, dilations and leading padding of the convolution.
 * @throws Error when `attrs.dataFormat` is `'NCHW'`, or when tfjs rejects the combination
 *   (for example strides and dilations both above 1).
 * @remarks Only channels-last (NHWC) data is supported.
 * @category Kernels
 */
export function convGeometry(
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvAttrs,
): ConvGeometry {
  if (attrs.dataFormat != null && attrs.dataFormat !== 'NHWC') {
    throw new Error(
      `convGeometry: only dataFormat 'NHWC' is supported, got '${attrs.dataFormat}'.`,
    );
  }
  const info = backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Number of images per chunk so that one im2col buffer stays under `maxFloats` floats.
 *
 * @param geometry - The convolution.
 * @param maxFloats - Largest buffer allowed, in 32-bit floats.
 * @defaultValue maxFloats = 16M floats (64 MB)
 * @returns Images per chunk, at least 1 and at most `geometry.batch`.
 * @category Kernels
 */
export function imagesPerChunk(geometry: ConvGeometry, maxFloats = 16 * 1024 * 1024): number {
  const perImage =
    geometry.outHeight *
    geometry.outWidth *
    geometry.filterHeight *
    geometry.filterWidth *
    geometry.inChannels;
  return Math.max(1, Math.min(geometry.batch, Math.floor(maxFloats / Math.max(1, perImage))));
}

/** One chunk of a batch for the im2col kernels. */
export interface ImageChunk {
  /** Index of the chunk's first image. */
  first: number;
  /** Images in the chunk. */
  images: number;
  /** Output positions of the chunk: `images · Ho · Wo`. */
  positions: number;
}

/**
 * The chunks a batch is split into so that each im2col buffer stays under `maxFloats` floats
 * ({@link imagesPerChunk} images each, the last one possibly fewer), in order.
 *
 * @param geometry - The convolution.
 * @param maxFloats - Largest buffer allowed, in 32-bit floats.
 * @defaultValue maxFloats = 16M floats (64 MB)
 * @returns The chunks, covering every image once.
 * @category Kernels
 */
export function imageChunks(geometry: ConvGeometry, maxFloats?: number): ImageChunk[] {
  const perChunk = imagesPerChunk(geometry, maxFloats);
  const chunks: ImageChunk[] = [];
  for (let first = 0; first < geometry.batch; first += perChunk) {
    const images = Math.min(perChunk, geometry.batch - first);
    chunks.push({ first, images, positions: images * geometry.outHeight * geometry.outWidth });
  }
  return chunks;
}
