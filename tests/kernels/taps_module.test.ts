import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODULE_PATH, assembleTaps, moduleSource } from '../../scripts/build-wasm';
import { TAPS_WASM_BASE64 } from '../../src/kernels/wasm/taps_module';

describe('taps_module.ts', () => {
  it('is the assembled taps.wat (run `npm run build:wasm` after editing the source)', async () => {
    const assembled = await assembleTaps();
    expect(TAPS_WASM_BASE64).toBe(assembled);
    expect(readFileSync(MODULE_PATH, 'utf8')).toBe(moduleSource(assembled));
  });

  it('is a WebAssembly module exporting the three kernels', () => {
    const bytes = Buffer.from(TAPS_WASM_BASE64, 'base64');
    const module = new WebAssembly.Module(bytes);
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(names.sort()).toEqual(['filterGrad', 'forward', 'inputGrad']);
    expect(WebAssembly.Module.imports(module)).toEqual([
      { module: 'env', name: 'memory', kind: 'memory' },
    ]);
  });
});
