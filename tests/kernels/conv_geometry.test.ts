import { describe, expect, it } from 'vitest';
import { convGeometry, imageChunks, imagesPerChunk } from '../../src/kernels/conv_geometry';

describe('convGeometry', () => {
  it("splits 'same' padding as tfjs does for the first DCGAN discriminator layer", () => {
    // 28 / stride 2 → Ho = ceil(28 / 2) = 14; total padding max((14 − 1)·2 + 5 − 28, 0) = 3,
    // of which floor(3 / 2) = 1 goes on top and on the left.
    const g = convGeometry([64, 28, 28, 1], [5, 5, 1, 64], { strides: 2, pad: 'same' });
    expect([g.outHeight, g.outWidth, g.outChannels]).toEqual([14, 14, 64]);
    expect([g.padTop, g.padLeft]).toEqual([1, 1]);
  });

  it('counts dilation in the effective filter size', () => {
    // A 3×3 filter at dilation 2 spans 5 pixels: 'valid' on 9×9 gives 9 − 5 + 1 = 5.
    const g = convGeometry([1, 9, 9, 2], [3, 3, 2, 1], { strides: 1, pad: 'valid', dilations: 2 });
    expect([g.outHeight, g.dilationHeight, g.padTop]).toEqual([5, 2, 0]);
  });

  it('rejects channels-first data', () => {
    expect(() =>
      convGeometry([1, 2, 4, 4], [3, 3, 2, 1], { strides: 1, pad: 'same', dataFormat: 'NCHW' }),
    ).toThrow(new Error("convGeometry: only dataFormat 'NHWC' is supported, got 'NCHW'."));
  });
});

describe('imagesPerChunk', () => {
  it('keeps a patch buffer under the limit', () => {
    // Second discriminator layer: 7·7 positions × 5·5·64 = 78400 floats per image.
    const g = convGeometry([64, 14, 14, 64], [5, 5, 64, 128], { strides: 2, pad: 'same' });
    // 16·2^20 / 78400 = 213.9 → the whole batch of 64; 200000 / 78400 = 2.55 → 2.
    expect(imagesPerChunk(g)).toBe(64);
    expect(imagesPerChunk(g, 200_000)).toBe(2);
    // Never fewer than one image, however small the limit.
    expect(imagesPerChunk(g, 10)).toBe(1);
  });
});

describe('imageChunks', () => {
  it('covers the batch in chunks of imagesPerChunk images, the last one shorter', () => {
    // 5 images of 6×6×2, 3×3 filter, stride 2 'same': 3·3 = 9 positions and 9·(3·3·2) = 162
    // floats per image; a 400-float limit holds floor(400 / 162) = 2 images per chunk.
    const g = convGeometry([5, 6, 6, 2], [3, 3, 2, 3], { strides: 2, pad: 'same' });
    expect(imageChunks(g, 400)).toEqual([
      { first: 0, images: 2, positions: 18 },
      { first: 2, images: 2, positions: 18 },
      { first: 4, images: 1, positions: 9 },
    ]);
    // Without a limit the batch is one chunk of 5·9 = 45 positions.
    expect(imageChunks(g)).toEqual([{ first: 0, images: 5, positions: 45 }]);
  });
});
