/**
 * Gzip detection and checked decompression for the data readers: fflate inflates, and the
 * member's trailer (CRC-32 and length) is verified here, because fflate trusts the trailer to
 * size its output and would otherwise return silently truncated or padded data.
 *
 * @module
 * @internal
 */
import { gunzipSync } from 'fflate';

import { describeValue, FormatError } from '../errors';

/** Deflate expands at most ~1032:1, so a trailer claiming more than this is corrupt. */
const MAX_DEFLATE_RATIO = 1100;

let crcTable: Uint32Array | undefined;

/** The CRC-32 (IEEE 802.3, as gzip uses it) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Whether `bytes` starts with the gzip magic number `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses one gzip member and checks its trailer.
 *
 * @param bytes - gzip data (starts with `1f 8b`).
 * @param where - the public function name, for messages.
 * @param source - what is being read (a path or `'buffer'`), for messages.
 * @returns the decompressed bytes.
 * @throws FormatError if fflate rejects the data, or the CRC-32 or length in the trailer do
 *   not match what was decompressed.
 */
export function gunzipChecked(bytes: Uint8Array, where: string, source: string): Uint8Array {
  const fail = (reason: string, cause?: unknown): never => {
    const error = new FormatError(
      source,
      `${where}: ${describeValue(source)} starts with the gzip magic 1f 8b but is not valid ` +
        `gzip data: ${reason}.`,
    );
    if (cause !== undefined) error.cause = cause;
    throw error;
  };
  // Read the trailer ourselves before fflate allocates an output buffer of that size.
  if (bytes.length < 18) fail(`a gzip member needs at least 18 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const storedCrc = view.getUint32(bytes.length - 8, true);
  const storedSize = view.getUint32(bytes.length - 4, true);
  if (storedSize > bytes.length * MAX_DEFLATE_RATIO) {
    fail(
      `the trailer claims ${storedSize} uncompressed bytes, impossible for ` +
        `${bytes.length} compressed bytes`,
    );
  }
  let output: Uint8Array;
  try {
    output = gunzipSync(bytes);
  } catch (cause) {
    return fail(cause instanceof Error ? cause.message : String(cause), cause);
  }
  if (output.length !== storedSize) {
    fail(`the trailer says ${storedSize} uncompressed bytes, but ${output.length} were inflated`);
  }
  const actualCrc = crc32(output);
  if (actualCrc !== storedCrc) {
    const hex = (n: number): string => n.toString(16).padStart(8, '0');
    fail(`the CRC-32 check failed (trailer ${hex(storedCrc)}, data ${hex(actualCrc)})`);
  }
  return output;
}
