/** Rows of `b` per block: 64 rows of up to 512 floats stay in a 128 KB L2 slice. */
const INNER_BLOCK = 64;
/** Columns per block, so one output row segment and one `b` row segment fit in L1. */
const COLUMN_BLOCK = 512;

/**
 * Computes `out = a · b` for row-major float32 matrices, with a blocked i-k-j loop whose
 * innermost loop runs along contiguous rows of `b` and `out`.
 *
 * @param a - Left matrix `[rows, inner]`.
 * @param b - Right matrix `[inner, cols]`.
 * @param out - Receives `[rows, cols]`; overwritten.
 * @param rows - Rows of `a`.
 * @param inner - Columns of `a`, rows of `b`.
 * @param cols - Columns of `b`.
 * @returns Nothing; fills `out`.
 * @category Kernels
 */
export function matMulInto(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  rows: number,
  inner: number,
  cols: number,
): void {
  out.fill(0, 0, rows * cols);
  for (let j0 = 0; j0 < cols; j0 += COLUMN_BLOCK) {
    const j1 = Math.min(cols, j0 + COLUMN_BLOCK);
    for (let p0 = 0; p0 < inner; p0 += INNER_BLOCK) {
      const p1 = Math.min(inner, p0 + INNER_BLOCK);
      for (let i = 0; i < rows; i++) {
        const outRow = i * cols;
        const aRow = i * inner;
        for (let p = p0; p < p1; p++) {
          const scale = a[aRow + p];
          const bRow = p * cols - outRow;
          for (let j = outRow + j0, end = outRow + j1; j < end; j++) out[j] += scale * b[bRow + j];
        }
      }
    }
  }
}

/**
 * Writes the transpose of a row-major float32 matrix.
 *
 * @param a - Matrix `[rows, cols]`.
 * @param out - Receives `[cols, rows]`; overwritten.
 * @param rows - Rows of `a`.
 * @param cols - Columns of `a`.
 * @returns Nothing; fills `out`.
 * @category Kernels
 */
export function transposeInto(a: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const aRow = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = a[aRow + j];
  }
}
