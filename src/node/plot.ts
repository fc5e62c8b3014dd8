import { checkInteger, checkOptions, checkRange, describeValue } from '../errors';
import { writeFileAtomic } from './atomic';

/**
 * Loss curves to plot: named series of values at steps 1, 2, 3, …, e.g.
 * `{ discriminator: [1.38, 1.21], generator: [0.69, 0.83] }`.
 *
 * @category Node
 */
export type LossSeries = Record<string, readonly number[]>;

/**
 * One logged step, e.g. a `StepResult` from `tfjs-gan` or a row of a losses CSV: its `step` (when
 * present) is the x value, and its number-valued fields are the series.
 *
 * @category Node
 */
export type LossRow = object;

/**
 * Options of {@link lossPlotSvg} and {@link writeLossPlot}.
 *
 * @category Node
 */
export interface LossPlotOptions {
  /** Text above the plot. @defaultValue no title */
  title?: string;
  /** Width of the picture in pixels, an integer >= 120. @defaultValue `640` */
  width?: number;
  /** Height of the picture in pixels, an integer >= 80. @defaultValue `320` */
  height?: number;
  /**
   * Which fields of the rows to draw, in this order; only for rows.
   * @defaultValue every field whose value is a number in the first row, except `step`
   */
  keys?: readonly string[];
  /**
   * Exponential moving average applied to each series before drawing, in [0, 1): each point
   * becomes `s·previous + (1 − s)·value`. GAN losses are noisy step to step; `0.9` shows the
   * trend. Non-finite values are skipped, not averaged. @defaultValue `0` (raw values)
   */
  smoothing?: number;
  /**
   * At most this many points per series (an integer >= 2): longer series are split into
   * equal runs of steps, each drawn as its mean, to keep the file small. @defaultValue `1000`
   */
  maxPoints?: number;
}

/** Line colours, one per series in order (cycled); distinguishable in colour-blind palettes. */
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf'];
/**
 * Plot margins in pixels: room for the title above, y tick labels on the left, and x tick
 * labels and the legend below.
 */
const MARGIN = { left: 56, right: 12, top: 28, bottom: 48 };
/** Approximate width of one character of the 11 px legend text, to space the legend. */
const CHAR_WIDTH = 7;

interface Line {
  name: string;
  x: number[];
  y: number[];
}

/**
 * Draws loss curves as an SVG picture: one line per series against the step, y axis ticks at
 * round values, a legend; non-finite values leave a gap in their line.
 *
 * @param series - named series ({@link LossSeries}, value `i` at step `i + 1`) or logged
 *   steps ({@link LossRow}s, x from each row's `step`, or its index + 1 without one).
 * @param options - size, title, smoothing, which row fields to draw.
 * @returns the SVG document as a string.
 * @throws TypeError if `series` is neither an object of number arrays nor an array of rows,
 *   or an option has the wrong type; RangeError if there is no series, a series is empty, the
 *   series differ in length, or an option is out of range.
 * @example
 * ```ts
 * import { lossPlotSvg } from 'tfjs-gan/node';
 * const svg = lossPlotSvg({ discriminator: [1.4, 1.2, 1.3], generator: [0.7, 0.9, 0.8] });
 * ```
 * @category Node
 */
export function lossPlotSvg(
  series: LossSeries | readonly LossRow[],
  options: LossPlotOptions = {},
): string {
  const where = 'lossPlotSvg';
  checkOptions(where, options, ['title', 'width', 'height', 'keys', 'smoothing', 'maxPoints']);
  const width = checkInteger(where, 'options.width', options.width ?? 640, 120);
  const height = checkInteger(where, 'options.height', options.height ?? 320, 80);
  const smoothing = options.smoothing ?? 0;
  checkRange(where, 'options.smoothing', smoothing, 0, 0.999);
  const maxPoints = checkInteger(where, 'options.maxPoints', options.maxPoints ?? 1000, 2);
  if (options.title !== undefined && typeof options.title !== 'string') {
    throw new TypeError(
      `${where}: options.title must be a string, got ${describeValue(options.title)}.`,
    );
  }
  const lines = toLines(where, series, options.keys).map((line) =>
    thin(smooth(line, smoothing), maxPoints),
  );
  return render(lines, width, height, options.title);
}

/**
 * Writes loss curves to an SVG file (see {@link lossPlotSvg}) atomically: a temporary file in
 * the same folder is renamed over `path`, so a viewer never sees half a picture. Missing
 * folders are created.
 *
 * @param path - the `.svg` file to create or replace.
 * @param series - named series or logged steps, as for {@link lossPlotSvg}.
 * @param options - as for {@link lossPlotSvg}.
 * @returns a promise that resolves once the file is in place.
 * @throws as {@link lossPlotSvg}; TypeError if `path` is not a non-empty string; the file
 *   system's error if writing fails.
 * @example
 * ```ts
 * import { writeLossPlot } from 'tfjs-gan/node';
 * const losses = { discriminator: [1.38, 1.2, 1.31], generator: [0.7, 0.92, 0.81] };
 * await writeLossPlot('out/losses.svg', losses, { title: 'DCGAN on MNIST', smoothing: 0.5 });
 * ```
 * @category Node
 */
export async function writeLossPlot(
  path: string,
  series: LossSeries | readonly LossRow[],
  options: LossPlotOptions = {},
): Promise<void> {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(
      `writeLossPlot: path must be a non-empty string, got ${describeValue(path)}.`,
    );
  }
  const svg = lossPlotSvg(series, options);
  await writeFileAtomic(path, new TextEncoder().encode(svg));
}

function toLines(
  where: string,
  series: LossSeries | readonly LossRow[],
  keys: readonly string[] | undefined,
): Line[] {
  if (Array.isArray(series)) return rowsToLines(where, series as readonly LossRow[], keys);
  if (keys !== undefined) {
    throw new RangeError(`${where}: options.keys applies to rows only, not to named series.`);
  }
  if (series === null || typeof series !== 'object') {
    throw new TypeError(
      `${where}: series must be an object of number arrays or an array of rows, ` +
        `got ${describeValue(series)}.`,
    );
  }
  const entries = Object.entries(series as LossSeries);
  if (entries.length === 0) throw new RangeError(`${where}: series must name at least one series.`);
  const lines = entries.map(([name, values]) => {
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
      throw new TypeError(
        `${where}: series '${name}' must be an array of numbers, got ${describeValue(values)}.`,
      );
    }
    return { name, x: values.map((_, i) => i + 1), y: [...values] };
  });
  checkLengths(where, lines);
  return lines;
}

function rowsToLines(where: string, rows: readonly LossRow[], keys?: readonly string[]): Line[] {
  if (rows.length === 0) throw new RangeError(`${where}: rows must hold at least one row.`);
  const first = rows[0] as Record<string, unknown>;
  if (first === null || typeof first !== 'object') {
    throw new TypeError(`${where}: rows[0] must be an object, got ${describeValue(first)}.`);
  }
  const names =
    keys ?? Object.keys(first).filter((k) => k !== 'step' && typeof first[k] === 'number');
  if (names.length === 0) throw new RangeError(`${where}: the rows have no number fields to draw.`);
  const fields = rows as readonly Record<string, unknown>[];
  const x = fields.map((row, i) => (typeof row?.step === 'number' ? row.step : i + 1));
  return names.map((name) => ({
    name,
    x,
    y: fields.map((row, i) => {
      const value = row?.[name];
      if (typeof value !== 'number') {
        throw new TypeError(
          `${where}: rows[${i}].${name} must be a number, got ${describeValue(value)}.`,
        );
      }
      return value;
    }),
  }));
}

function checkLengths(where: string, lines: Line[]): void {
  for (const line of lines) {
    if (line.y.length === 0) throw new RangeError(`${where}: series '${line.name}' is empty.`);
    if (line.y.length !== lines[0].y.length) {
      throw new RangeError(
        `${where}: every series must have the same length, got ${lines[0].y.length} ` +
          `('${lines[0].name}') and ${line.y.length} ('${line.name}').`,
      );
    }
  }
}

function smooth(line: Line, s: number): Line {
  if (s === 0) return line;
  let average: number | undefined;
  const y = line.y.map((v) => {
    if (!Number.isFinite(v)) return v;
    average = average === undefined ? v : s * average + (1 - s) * v;
    return average;
  });
  return { ...line, y };
}

/** Replaces runs of steps by their mean (of finite values) when there are too many points. */
function thin(line: Line, maxPoints: number): Line {
  const n = line.y.length;
  if (n <= maxPoints) return line;
  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < maxPoints; b++) {
    const start = Math.floor((b * n) / maxPoints);
    const end = Math.floor(((b + 1) * n) / maxPoints);
    const finite = line.y.slice(start, end).filter(Number.isFinite);
    x.push((line.x[start] + line.x[end - 1]) / 2);
    y.push(finite.length === 0 ? NaN : finite.reduce((a, v) => a + v, 0) / finite.length);
  }
  return { ...line, x, y };
}

/**
 * Round tick values from at or below `lo` to at or above `hi`, spaced by 1, 2 or 5 times a
 * power of ten so that about `count` intervals cover the range; with `integers`, at least 1.
 */
export function niceTicks(lo: number, hi: number, count = 5, integers = false): number[] {
  if (lo === hi) return niceTicks(lo - 1, hi + 1, count, integers);
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) as number;
  const step = integers ? Math.max(1, nice) : nice;
  const ticks: number[] = [];
  for (let i = Math.floor(lo / step); i <= Math.ceil(hi / step); i++) {
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}

const fmt = (v: number) => String(Math.round(v * 100) / 100);
const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function render(lines: Line[], width: number, height: number, title?: string): string {
  const xs = lines[0].x;
  const xLo = xs[0];
  const xHi = xs[xs.length - 1] === xLo ? xLo + 1 : xs[xs.length - 1];
  const finite = lines.flatMap((l) => l.y).filter(Number.isFinite);
  const yTicks = finite.length === 0 ? [0, 1] : niceTicks(Math.min(...finite), Math.max(...finite));
  const yLo = yTicks[0];
  const yHi = yTicks[yTicks.length - 1];
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const px = (x: number) => left + ((x - xLo) / (xHi - xLo)) * (right - left);
  const py = (y: number) => bottom - ((y - yLo) / (yHi - yLo)) * (bottom - top);

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
  ];
  if (title !== undefined) {
    const text = escapeXml(title);
    out.push(`<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">${text}</text>`);
  }
  for (const tick of yTicks) {
    const y = fmt(py(tick));
    out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${left - 6}" y="${y}" text-anchor="end" dy="4">${tick}</text>`);
  }
  for (const tick of niceTicks(xLo, xHi, 5, true).filter((t) => t >= xLo && t <= xHi)) {
    out.push(`<text x="${fmt(px(tick))}" y="${bottom + 16}" text-anchor="middle">${tick}</text>`);
  }
  out.push(`<path d="M${left} ${top}V${bottom}H${right}" fill="none" stroke="#333"/>`);
  const legendY = height - 10;
  let legendX = left;
  lines.forEach((line, i) => {
    const colour = COLOURS[i % COLOURS.length];
    for (const run of finiteRuns(line)) {
      if (run.length === 1) {
        const [cx, cy] = [fmt(px(line.x[run[0]])), fmt(py(line.y[run[0]]))];
        out.push(`<circle cx="${cx}" cy="${cy}" r="2" fill="${colour}"/>`);
        continue;
      }
      const points = run.map((k) => `${fmt(px(line.x[k]))},${fmt(py(line.y[k]))}`).join(' ');
      out.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    }
    out.push(
      `<line x1="${legendX}" y1="${legendY - 4}" x2="${legendX + 16}" y2="${legendY - 4}" ` +
        `stroke="${colour}" stroke-width="3"/>`,
      `<text x="${legendX + 20}" y="${legendY}">${escapeXml(line.name)}</text>`,
    );
    legendX += 20 + CHAR_WIDTH * line.name.length + 16;
  });
  out.push(`<text x="${right}" y="${legendY}" text-anchor="end">step</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}

/** Indices of each maximal run of finite values, so a NaN or Infinity breaks the line. */
function finiteRuns(line: Line): number[][] {
  const runs: number[][] = [[]];
  line.y.forEach((v, k) => {
    if (Number.isFinite(v)) runs[runs.length - 1].push(k);
    else if (runs[runs.length - 1].length > 0) runs.push([]);
  });
  return runs.filter((run) => run.length > 0);
}
