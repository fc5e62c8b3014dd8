import type { WasmBackendLike } from '../wasm_host';
import { TAPS_WASM_BASE64 } from './taps_module';

/** The functions of taps.wat; every argument is an i32, addresses in bytes. */
export interface TapsExports {
  forward(...args: number[]): void;
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
export function tapsFor(backend: WasmBackendLike): TapsExports | null {
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
