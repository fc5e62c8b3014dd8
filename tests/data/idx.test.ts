import { crc32 as zlibCrc32 } from 'node:zlib';

import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

import { parseIdx } from '../../src/data/idx';
import { FormatError } from '../../src/errors';
import { expectThrows } from '../helpers/fixtures/throws';

/** An IDX file: 00 00, the type code, the rank, big-endian uint32 sizes, then `data`. */
function idx(type: number, shape: number[], data: number[]): Uint8Array {
  const header = [0, 0, type, shape.length];
  for (const size of shape) {
    header.push(size >>> 24, (size >>> 16) & 255, (size >>> 8) & 255, size & 255);
  }
  return new Uint8Array([...header, ...data]);
}

describe('parseIdx', () => {
  it('decodes uint8 data with its shape', () => {
    const result = parseIdx(idx(0x08, [2, 3], [0, 1, 2, 253, 254, 255]));
    expect(result.dtype).toBe('uint8');
    expect(result.shape).toEqual([2, 3]);
    expect(result.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(result.data)).toEqual([0, 1, 2, 253, 254, 255]);
  });

  it('decodes int8 as two’s complement', () => {
    // 0x7f = 127; 0x80 = 128 − 256 = −128; 0xff = 255 − 256 = −1.
    const result = parseIdx(idx(0x09, [4], [0x00, 0x7f, 0x80, 0xff]));
    expect(result.dtype).toBe('int8');
    expect(result.data).toBeInstanceOf(Int8Array);
    expect(Array.from(result.data)).toEqual([0, 127, -128, -1]);
  });

  it('decodes big-endian int16', () => {
    // 0x0102 = 1·256 + 2 = 258; 0xfffe = 65534 − 65536 = −2; 0x8000 = 32768 − 65536 = −32768.
    const result = parseIdx(idx(0x0b, [3], [0x01, 0x02, 0xff, 0xfe, 0x80, 0x00]));
    expect(result.dtype).toBe('int16');
    expect(result.data).toBeInstanceOf(Int16Array);
    expect(Array.from(result.data)).toEqual([258, -2, -32768]);
  });

  it('decodes big-endian int32', () => {
    // 0x00010000 = 2^16 = 65536; 0xffffff9c = 2^32 − (256 − 0x9c) = 2^32 − 100 → −100.
    const result = parseIdx(idx(0x0c, [2], [0, 1, 0, 0, 0xff, 0xff, 0xff, 0x9c]));
    expect(result.dtype).toBe('int32');
    expect(result.data).toBeInstanceOf(Int32Array);
    expect(Array.from(result.data)).toEqual([65536, -100]);
  });

  it('decodes big-endian float32', () => {
    // 0x3fc00000: sign 0, exponent 0x7f = 127 → 2^0, mantissa 0x400000 / 2^23 = 0.5 → 1.5.
    // 0xc1200000: sign 1, exponent 0x82 = 130 → 2^3, mantissa 0x200000 / 2^23 = 0.25 → −10.
    const result = parseIdx(idx(0x0d, [2], [0x3f, 0xc0, 0, 0, 0xc1, 0x20, 0, 0]));
    expect(result.dtype).toBe('float32');
    expect(result.data).toBeInstanceOf(Float32Array);
    expect(Array.from(result.data)).toEqual([1.5, -10]);
  });

  it('decodes big-endian float64', () => {
    // 0x400921fb54442d18 is the IEEE 754 double nearest π; 0xbff0000000000000: sign 1,
    // exponent 0x3ff = 1023 → 2^0, mantissa 0 → −1.
    const pi = [0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18];
    const minusOne = [0xbf, 0xf0, 0, 0, 0, 0, 0, 0];
    const result = parseIdx(idx(0x0e, [1, 2], [...pi, ...minusOne]));
    expect(result.dtype).toBe('float64');
    expect(result.shape).toEqual([1, 2]);
    expect(result.data).toBeInstanceOf(Float64Array);
    expect(Array.from(result.data)).toEqual([Math.PI, -1]);
  });

  it('returns a copy, not a view of the input', () => {
    const bytes = idx(0x08, [2], [7, 9]);
    const result = parseIdx(bytes);
    bytes[bytes.length - 1] = 0;
    expect(Array.from(result.data)).toEqual([7, 9]);
  });

  it('reads gzip-compressed input transparently', () => {
    const plain = idx(0x0b, [2, 1], [0x01, 0x02, 0xff, 0xfe]);
    const result = parseIdx(gzipSync(plain));
    // As in the int16 case: 0x0102 = 258, 0xfffe = −2.
    expect(result.dtype).toBe('int16');
    expect(result.shape).toEqual([2, 1]);
    expect(Array.from(result.data)).toEqual([258, -2]);
  });

  it('rejects input too short for a header', () => {
    const error = expectThrows(
      () => parseIdx(new Uint8Array([0, 0, 8])),
      FormatError,
      "parseIdx: 'buffer' is too short for an IDX header: expected at least 4 bytes, got 3.",
    );
    expect((error as FormatError).source).toBe('buffer');
  });

  it('rejects a wrong magic number, naming the bytes found and the source', () => {
    // A zip file starts with 'PK' = 50 4b.
    const error = expectThrows(
      () => parseIdx(new Uint8Array([0x50, 0x4b, 3, 4, 0]), 'a.zip'),
      FormatError,
      "parseIdx: 'a.zip' is not an IDX file: expected the magic bytes 00 00 then a type code, " +
        'got 50 4b.',
    );
    expect((error as FormatError).source).toBe('a.zip');
  });

  it('rejects an unknown type code', () => {
    expectThrows(
      () => parseIdx(idx(0x0a, [1], [0])),
      FormatError,
      "parseIdx: 'buffer' has an unknown IDX type code 0x0a: expected one of 0x08 (uint8), " +
        '0x09 (int8), 0x0b (int16), 0x0c (int32), 0x0d (float32), 0x0e (float64).',
    );
  });

  it('rejects a dimension count of 0', () => {
    expectThrows(
      () => parseIdx(new Uint8Array([0, 0, 8, 0, 5])),
      FormatError,
      "parseIdx: 'buffer' has a dimension count of 0: expected at least 1.",
    );
  });

  it('rejects a header cut inside its sizes', () => {
    // 3 dimensions need 4 + 4·3 = 16 header bytes; 4 + 4 + 2 = 10 are given.
    const bytes = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0]);
    expectThrows(
      () => parseIdx(bytes),
      FormatError,
      "parseIdx: 'buffer' is too short for an IDX header with 3 dimensions: expected at least " +
        '16 bytes, got 10.',
    );
  });

  it('rejects truncated data', () => {
    // int16 [2,3] needs 2·3·2 = 12 data bytes; 10 are given.
    const bytes = idx(0x0b, [2, 3], new Array(10).fill(0));
    expectThrows(
      () => parseIdx(bytes, 'x.idx'),
      FormatError,
      "parseIdx: 'x.idx' is truncated: expected 12 data bytes for shape [2,3] (int16), got 10.",
    );
  });

  it('rejects bytes after the data', () => {
    // uint8 [2] needs 2 data bytes; 5 are given, 5 − 2 = 3 extra.
    expectThrows(
      () => parseIdx(idx(0x08, [2], [1, 2, 3, 4, 5])),
      FormatError,
      "parseIdx: 'buffer' has 3 bytes after the data: expected 2 data bytes for shape [2] " +
        '(uint8), got 5; the file size does not match its header.',
    );
  });

  it('rejects gzip data whose CRC-32 does not match', () => {
    const plain = idx(0x08, [2, 3], [0, 1, 2, 3, 4, 5]);
    const gz = gzipSync(plain);
    // The trailer is CRC-32 (little-endian) then the size; flipping the CRC's low byte.
    const crc = zlibCrc32(plain);
    gz[gz.length - 8] ^= 0xff;
    const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
    expectThrows(
      () => parseIdx(gz, 'x.gz'),
      FormatError,
      "parseIdx: 'x.gz' starts with the gzip magic 1f 8b but is not valid gzip data: the " +
        `CRC-32 check failed (trailer ${hex(crc ^ 0xff)}, data ${hex(crc)}).`,
    );
  });

  it('rejects gzip data whose trailer size is wrong', () => {
    // The plain file is 4 + 2·4 + 6 = 18 bytes; the trailer is made to say 19.
    const gz = gzipSync(idx(0x08, [2, 3], [0, 1, 2, 3, 4, 5]));
    gz[gz.length - 4] = 19;
    expectThrows(
      () => parseIdx(gz),
      FormatError,
      "parseIdx: 'buffer' starts with the gzip magic 1f 8b but is not valid gzip data: the " +
        'trailer says 19 uncompressed bytes, but 18 were inflated.',
    );
  });

  it('rejects a gzip trailer claiming an impossible size', () => {
    const gz = gzipSync(idx(0x08, [1], [0]));
    gz.fill(0xff, gz.length - 4); // size 2^32 − 1 = 4294967295
    expectThrows(
      () => parseIdx(gz),
      FormatError,
      "parseIdx: 'buffer' starts with the gzip magic 1f 8b but is not valid gzip data: the " +
        `trailer claims 4294967295 uncompressed bytes, impossible for ${gz.length} compressed ` +
        'bytes.',
    );
  });

  it('rejects a corrupt deflate stream with the decompressor’s reason', () => {
    // A 10-byte gzip header (1f 8b, method 08, no flags, mtime 0, xfl 0, OS ff), then one
    // deflate byte 0x07: BFINAL = 1 and BTYPE = 0b11, a reserved block type; then an
    // 8-byte trailer (CRC 0, size 0).
    const header = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff];
    const bytes = new Uint8Array([...header, 0x07, 0, 0, 0, 0, 0, 0, 0, 0]);
    const error = expectThrows(
      () => parseIdx(bytes),
      FormatError,
      "parseIdx: 'buffer' starts with the gzip magic 1f 8b but is not valid gzip data: " +
        'invalid block type.',
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('rejects gzip data too short for a gzip member', () => {
    // A gzip member is at least a 10-byte header and an 8-byte trailer: 18 bytes.
    expectThrows(
      () => parseIdx(new Uint8Array([0x1f, 0x8b, 0x08])),
      FormatError,
      "parseIdx: 'buffer' starts with the gzip magic 1f 8b but is not valid gzip data: a gzip " +
        'member needs at least 18 bytes, got 3.',
    );
  });

  it('rejects arguments of the wrong kind', () => {
    expectThrows(
      () => parseIdx('abc' as unknown as Uint8Array),
      TypeError,
      "parseIdx: bytes must be a Uint8Array, got 'abc'.",
    );
    expectThrows(
      () => parseIdx(new Uint8Array(4), 3 as unknown as string),
      TypeError,
      'parseIdx: source must be a string, got 3.',
    );
  });
});
