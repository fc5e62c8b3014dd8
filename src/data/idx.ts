import { describeValue, FormatError } from '../errors';
import { gunzipChecked, isGzip } from './gzip';

/**
 * The element types an IDX file can hold, named as TensorFlow.js and typed arrays name them.
 *
 * @category Data
 */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/**
 * The typed array that holds each {@link IdxDtype}.
 *
 * @category Data
 */
export interface IdxDataTypes {
  /** Type code 0x08: unsigned bytes (MNIST's images and labels). */
  uint8: Uint8Array;
  /** Type code 0x09: signed bytes. */
  int8: Int8Array;
  /** Type code 0x0B: 16-bit integers. */
  int16: Int16Array;
  /** Type code 0x0C: 32-bit integers. */
  int32: Int32Array;
  /** Type code 0x0D: 32-bit floats. */
  float32: Float32Array;
  /** Type code 0x0E: 64-bit floats. */
  float64: Float64Array;
}

/**
 * A decoded IDX file: its element type, its shape and its values in row-major order.
 *
 * @category Data
 */
export type IdxArray = {
  [D in IdxDtype]: {
    /** The element type named by the file's type byte. */
    dtype: D;
    /** The sizes from the header, outermost first, e.g. `[60000, 28, 28]` for MNIST images. */
    shape: number[];
    /** The values, in native byte order, in a fresh array (never a view of the input). */
    data: IdxDataTypes[D];
  };
}[IdxDtype];

interface IdxType {
  dtype: IdxDtype;
  bytes: number;
  read: (view: DataView, offset: number) => number;
}

// Multi-byte IDX values are big-endian, hence `false` for littleEndian.
const TYPES: Record<number, IdxType> = {
  0x08: { dtype: 'uint8', bytes: 1, read: (v, o) => v.getUint8(o) },
  0x09: { dtype: 'int8', bytes: 1, read: (v, o) => v.getInt8(o) },
  0x0b: { dtype: 'int16', bytes: 2, read: (v, o) => v.getInt16(o, false) },
  0x0c: { dtype: 'int32', bytes: 4, read: (v, o) => v.getInt32(o, false) },
  0x0d: { dtype: 'float32', bytes: 4, read: (v, o) => v.getFloat32(o, false) },
  0x0e: { dtype: 'float64', bytes: 8, read: (v, o) => v.getFloat64(o, false) },
};

const ARRAYS = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

const hex = (byte: number): string => byte.toString(16).padStart(2, '0');
const KNOWN_TYPES = Object.entries(TYPES)
  .map(([code, type]) => `0x${hex(Number(code))} (${type.dtype})`)
  .join(', ');

/**
 * Decodes the IDX format (the format of the MNIST files): two zero bytes, a type byte, a
 * dimension count, one big-endian uint32 size per dimension, then the values, big-endian.
 * Gzip-compressed input (first bytes `1f 8b`) is decompressed first.
 *
 * @param bytes - the file's contents, plain or gzip-compressed.
 * @param source - what the bytes came from (a path, a URL), named in error messages.
 *   @defaultValue `'buffer'`
 * @returns `{ dtype, shape, data }` where `data` is a typed array of `dtype` holding
 *   `shape[0] · shape[1] · …` values in row-major order.
 * @throws TypeError if `bytes` is not a Uint8Array or `source` is not a string.
 * @throws FormatError if the data is not valid gzip, the header is short or has a wrong magic
 *   number or type code, or the data is shorter or longer than the header says.
 * @example
 * ```ts
 * import { parseIdx } from 'tfjs-gan';
 * const response = await fetch('train-images-idx3-ubyte.gz');
 * const images = parseIdx(new Uint8Array(await response.arrayBuffer()), response.url);
 * images.shape; // [60000, 28, 28]
 * ```
 * @category Data
 */
export function parseIdx(bytes: Uint8Array, source = 'buffer'): IdxArray {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`parseIdx: bytes must be a Uint8Array, got ${describeValue(bytes)}.`);
  }
  if (typeof source !== 'string') {
    throw new TypeError(`parseIdx: source must be a string, got ${describeValue(source)}.`);
  }
  const raw = isGzip(bytes) ? gunzipChecked(bytes, 'parseIdx', source) : bytes;
  const { type, shape, headerBytes } = readHeader(raw, source);
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * type.bytes;
  const got = raw.length - headerBytes;
  if (got !== expected) {
    const what = got < expected ? 'is truncated' : `has ${got - expected} bytes after the data`;
    const tail = got < expected ? '' : '; the file size does not match its header';
    throw new FormatError(
      source,
      `parseIdx: ${describeValue(source)} ${what}: expected ${expected} data bytes for shape ` +
        `${describeValue(shape)} (${type.dtype}), got ${got}${tail}.`,
    );
  }
  return { dtype: type.dtype, shape, data: decode(raw, headerBytes, count, type) } as IdxArray;
}

function readHeader(
  raw: Uint8Array,
  source: string,
): { type: IdxType; shape: number[]; headerBytes: number } {
  const fail = (message: string): never => {
    throw new FormatError(source, `parseIdx: ${describeValue(source)} ${message}.`);
  };
  if (raw.length < 4) {
    fail(`is too short for an IDX header: expected at least 4 bytes, got ${raw.length}`);
  }
  if (raw[0] !== 0 || raw[1] !== 0) {
    fail(
      `is not an IDX file: expected the magic bytes 00 00 then a type code, ` +
        `got ${hex(raw[0])} ${hex(raw[1])}`,
    );
  }
  const type = TYPES[raw[2]];
  if (!type) fail(`has an unknown IDX type code 0x${hex(raw[2])}: expected one of ${KNOWN_TYPES}`);
  const rank = raw[3];
  if (rank === 0) fail('has a dimension count of 0: expected at least 1');
  const headerBytes = 4 + 4 * rank;
  if (raw.length < headerBytes) {
    fail(
      `is too short for an IDX header with ${rank} dimensions: expected at least ` +
        `${headerBytes} bytes, got ${raw.length}`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  return { type, shape, headerBytes };
}

function decode(raw: Uint8Array, start: number, count: number, type: IdxType): IdxArray['data'] {
  const out = new ARRAYS[type.dtype](count);
  if (type.bytes === 1) {
    // One-byte values have no byte order: copy them, reinterpreting as signed for int8.
    new Uint8Array(out.buffer).set(raw.subarray(start, start + count));
    return out;
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < count; i++) out[i] = type.read(view, start + i * type.bytes);
  return out;
}
