/** Plain-text table printing for the bench scripts. */

/** A table row: one cell per column. */
export type Row = string[];

/** Formats rows under a header with columns padded to their widest cell. */
export function formatTable(header: Row, rows: Row[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: Row) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** A number with `digits` decimals, or a dash for null / NaN. */
export function fixed(value: number | null | undefined, digits = 2): string {
  return value == null || Number.isNaN(value) ? '-' : value.toFixed(digits);
}
