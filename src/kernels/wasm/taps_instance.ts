import type { WasmBackendLike } from '../wasm_host';
import { TAPS_RELAXED_WASM_BASE64, TAPS_WASM_BASE64 } from './taps_module';

/** The functions of taps.wat; every argument is an i32, addresses in bytes. */
export interface TapsExports {
  forward(...args: number[]): void;
  filterGrad(...args: number[]): void;
  inputGrad(...args: number[]): void;
}

/**
 * Which build of the kernels runs: `'relaxed'` (fused multiply-adds, where the engine has
 * WebAssembly relaxed SIMD: Chrome 114+, Node 22+, or Node 20 with
 * `--experimental-wasm-relaxed-simd`) or `'plain'` (WebAssembly SIMD only).
 */
export type TapsBuild = 'plain' | 'relaxed';

const SOURCES: Record<TapsBuild, string> = {
  plain: TAPS_WASM_BASE64,
  relaxed: TAPS_RELAXED_WASM_BASE64,
};

/** Each build compiled once (`null`: this engine cannot); instances per build and memory. */
const compiled = new Map<TapsBuild, WebAssembly.Module | null>();
const instances: Record<TapsBuild, WeakMap<WebAssembly.Memory, TapsExports | null>> = {
  plain: new WeakMap(),
  relaxed: new WeakMap(),
};
let preferred: TapsBuild | undefined;
let fastest: TapsBuild | null | undefined;

function tapsModule(build: TapsBuild): WebAssembly.Module | null {
  if (!compiled.has(build)) {
    const bytes = base64Bytes(SOURCES[build]);
    // An engine without (relaxed) SIMD rejects the bytes; then the build is unavailable.
    compiled.set(build, WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null);
  }
  return compiled.get(build)!;
}

function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

/** The builds this engine can compile, fastest first. */
export function availableTapsBuilds(): TapsBuild[] {
  return (['relaxed', 'plain'] as const).filter((build) => tapsModule(build) !== null);
}

/**
 * The build the kernels use: the one set by {@link useTapsBuild}, else the fastest this engine
 * compiles, or `null` when it compiles neither (no WebAssembly SIMD).
 */
export function tapsBuild(): TapsBuild | null {
  // Every kernel call asks, so the engine's answer is worked out once.
  if (fastest === undefined) fastest = availableTapsBuilds()[0] ?? null;
  return preferred ?? fastest;
}

/**
 * Makes the kernels use one build (for tests and benches that compare them), or the fastest
 * available again with `undefined`.
 *
 * @throws Error when this engine cannot compile that build.
 */
export function useTapsBuild(build: TapsBuild | undefined): void {
  if (build !== undefined && tapsModule(build) === null) {
    throw new Error(
      `useTapsBuild: this engine cannot compile the '${build}' build of the tap kernels` +
        (build === 'relaxed' ? ' (no WebAssembly relaxed SIMD).' : ' (no WebAssembly SIMD).'),
    );
  }
  preferred = build;
}

/**
 * The SIMD tap kernels bound to the wasm backend's own memory, or `null` when the backend does
 * not expose a plain `WebAssembly.Memory` (the threaded build's memory is shared) or the
 * engine lacks WebAssembly SIMD; callers then take another path.
 */
export function tapsFor(backend: WasmBackendLike): TapsExports | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const build = tapsBuild();
  if (build === null) return null;
  let found = instances[build].get(memory);
  if (found === undefined) {
    try {
      found = new WebAssembly.Instance(tapsModule(build)!, { env: { memory } })
        .exports as unknown as TapsExports;
    } catch {
      found = null;
    }
    instances[build].set(memory, found);
  }
  return found;
}
