import { describe, expect, it } from 'vitest';
import { matMulInto, transposeInto } from '../../src/kernels/matmul';
import { relativeError, seededValues } from './reference';

/** Textbook triple loop in float64, the reference for the tiled product. */
function naive(a: Float32Array, b: Float32Array, rows: number, inner: number, cols: number) {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let p = 0; p < inner; p++) {
      for (let j = 0; j < cols; j++) out[i * cols + j] += a[i * inner + p] * b[p * cols + j];
    }
  }
  return out;
}

describe('matMulInto', () => {
  it('multiplies a 2×2 pair by hand', () => {
    // [[1, 2], [3, 4]]·[[5, 6], [7, 8]] = [[1·5 + 2·7, 1·6 + 2·8], [3·5 + 4·7, 3·6 + 4·8]]
    //                                   = [[19, 22], [43, 50]]
    const out = new Float32Array(4);
    matMulInto(Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6, 7, 8), out, 2, 2, 2);
    expect(Array.from(out)).toEqual([19, 22, 43, 50]);
  });

  // Shapes cover full 4×4 tiles, leftover rows and columns, and inner sizes across the
  // 256-row block boundary.
  it.each([
    [1, 1, 1],
    [4, 4, 4],
    [5, 3, 7],
    [9, 513, 6],
    [3, 2, 9],
    [8, 257, 13],
    [12, 300, 16],
  ])('matches a float64 triple loop to 1e-6 for [%i×%i]·[·×%i]', (rows, inner, cols) => {
    const a = seededValues(rows * inner, 6);
    const b = seededValues(inner * cols, 7);
    const out = new Float32Array(rows * cols).fill(Number.NaN);
    matMulInto(a, b, out, rows, inner, cols);
    // float32 rounding of the result and of block partial sums: well under 1e-6 relative.
    expect(relativeError(out, naive(a, b, rows, inner, cols))).toBeLessThanOrEqual(1e-6);
  });
});

describe('transposeInto', () => {
  it('transposes a 2×3 matrix', () => {
    // [[1, 2, 3], [4, 5, 6]]ᵀ = [[1, 4], [2, 5], [3, 6]]
    const out = new Float32Array(6);
    transposeInto(Float32Array.of(1, 2, 3, 4, 5, 6), out, 2, 3);
    expect(Array.from(out)).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
