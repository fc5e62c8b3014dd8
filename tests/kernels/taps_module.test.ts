import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MODULE_PATH,
  WAT_PATH,
  assembleTaps,
  fuseMultiplyAdds,
  moduleSource,
} from '../../scripts/build-wasm';
import { availableTapsBuilds, tapsBuild } from '../../src/kernels/wasm/taps_instance';
import { TAPS_RELAXED_WASM_BASE64, TAPS_WASM_BASE64 } from '../../src/kernels/wasm/taps_module';

describe('taps_module.ts', () => {
  it('is the assembled taps.wat in both builds (run `npm run build:wasm` after editing it)', async () => {
    const [plain, relaxed] = [await assembleTaps('plain'), await assembleTaps('relaxed')];
    expect(TAPS_WASM_BASE64).toBe(plain);
    expect(TAPS_RELAXED_WASM_BASE64).toBe(relaxed);
    expect(readFileSync(MODULE_PATH, 'utf8')).toBe(moduleSource(plain, relaxed));
  });

  // The plain build needs WebAssembly SIMD, which every supported engine has; the relaxed
  // build is checked where the engine compiles it (the 'relaxed-simd' test project sets
  // TAPS_BUILDS=relaxed on an engine switched to relaxed SIMD).
  const builds = process.env.TAPS_BUILDS?.split(',') ?? availableTapsBuilds();
  it.each(builds)('holds the %s build, a module exporting the three kernels', (build) => {
    const base64 = build === 'relaxed' ? TAPS_RELAXED_WASM_BASE64 : TAPS_WASM_BASE64;
    const module = new WebAssembly.Module(Buffer.from(base64, 'base64'));
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(names.sort()).toEqual(['filterGrad', 'forward', 'inputGrad']);
    expect(WebAssembly.Module.imports(module)).toEqual([
      { module: 'env', name: 'memory', kind: 'memory' },
    ]);
  });

  it('compiles the plain build on this engine', () => {
    expect(availableTapsBuilds()).toContain('plain');
  });

  it('runs the fastest build this engine compiles, unaided', () => {
    // In the 'relaxed-simd' project the engine has relaxed SIMD, so the kernels must pick the
    // relaxed build by themselves; elsewhere the relaxed build comes first when available.
    if (process.env.TAPS_BUILDS === 'relaxed') expect(tapsBuild()).toBe('relaxed');
    expect(tapsBuild()).toBe(availableTapsBuilds()[0]);
    expect(availableTapsBuilds()).toEqual(
      availableTapsBuilds().includes('relaxed') ? ['relaxed', 'plain'] : ['plain'],
    );
  });
});

describe('fuseMultiplyAdds', () => {
  it('rewrites a + s·d, with operands of any depth, and nothing else', () => {
    const wat =
      '(local.set $a (f32x4.add (local.get $a) (f32x4.mul (local.get $s) (v128.load offset=16\n' +
      '  (local.get $w)))))\n(local.set $b (f32x4.add (local.get $b) (local.get $c)))';
    expect(fuseMultiplyAdds(wat)).toEqual({
      text:
        '(local.set $a (f32x4.relaxed_madd (local.get $s) (v128.load offset=16\n' +
        '  (local.get $w)) (local.get $a)))\n(local.set $b (f32x4.add (local.get $b) (local.get $c)))',
      count: 1,
    });
  });

  it('fuses every multiply-add of the kernels: 8 in the forward pass, 8 in each gradient', () => {
    // forward: 2 positions × 4 vectors of 4 channels; filterGrad: 2 taps × 4 vectors;
    // inputGrad: 4 taps × 2 vectors of a block of 8 channels. 8 + 8 + 8 = 24.
    const { text, count } = fuseMultiplyAdds(readFileSync(WAT_PATH, 'utf8'));
    expect(count).toBe(24);
    expect(text).not.toMatch(/f32x4\.mul/);
  });
});
