import cliProgress from 'cli-progress';

import { checkInteger, describeValue } from '../errors';

/**
 * Options of {@link ProgressBar}.
 *
 * @category Node
 */
export interface ProgressBarOptions {
  /** Steps at completion; an integer >= 1. */
  total: number;
  /**
   * Where to write; a bar is drawn only when its `isTTY` property is `true`.
   * @defaultValue `process.stderr`
   */
  stream?: NodeJS.WritableStream;
  /**
   * When the stream is not a terminal (CI logs, a file), print one plain line every this many
   * steps instead of a bar; an integer >= 1. @defaultValue `100`
   */
  logEvery?: number;
  /** The step training starts (or resumes) from, for steps/s and ETA. @defaultValue `0` */
  initialStep?: number;
  /**
   * Milliseconds from a monotonic clock; replace it to replay timings.
   * @defaultValue `() => performance.now()`
   */
  clock?: () => number;
}

/**
 * A terminal progress bar for training loops (cli-progress): step/total, named values such
 * as losses to 4 significant digits, steps per second and the estimated time left. When the
 * stream is not a terminal it draws no bar and prints a plain line every `logEvery` steps.
 *
 * @remarks While a bar is shown, cli-progress redraws it on a timer that keeps Node running:
 *   call `stop()` when training ends or fails (a `finally` block).
 * @example
 * ```ts
 * import { ProgressBar } from 'tfjs-gan/node';
 * const progress = new ProgressBar({ total: 1000 });
 * try {
 *   for (let step = 1; step <= 1000; step++) {
 *     const loss = 1 / step; // e.g. the numbers `await trainer.step(batch)` resolves to
 *     progress.update(step, { loss });
 *   }
 * } finally {
 *   progress.stop();
 * }
 * ```
 * @category Node
 */
export class ProgressBar {
  /** The number of steps at completion. */
  readonly total: number;
  private readonly stream: NodeJS.WritableStream;
  private readonly logEvery: number;
  private readonly initialStep: number;
  private readonly clock: () => number;
  private readonly startTime: number;
  private bar: cliProgress.SingleBar | null = null;
  private lastStep: number;
  private lastLine = '';
  private loggedStep: number;
  private stopped = false;

  /**
   * @param options - total steps, stream, plain-line interval, initial step and clock.
   * @throws TypeError if `options` is not an object or an option is not an integer where one
   *   is expected.
   * @throws RangeError if `total` or `logEvery` < 1, or `initialStep` is not in [0, total].
   */
  constructor(options: ProgressBarOptions) {
    const where = 'ProgressBar';
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}.`);
    }
    const total = checkInteger(where, 'options.total', options.total, 1);
    this.total = total;
    this.logEvery = checkInteger(where, 'options.logEvery', options.logEvery ?? 100, 1);
    this.initialStep = checkStep(where, 'options.initialStep', options.initialStep ?? 0, total);
    this.stream = options.stream ?? process.stderr;
    this.clock = options.clock ?? (() => performance.now());
    this.startTime = this.clock();
    this.lastStep = this.initialStep;
    this.loggedStep = this.initialStep;
  }

  /**
   * Shows progress after `step` steps.
   *
   * @param step - steps done so far; an integer in [0, total].
   * @param values - named numbers to show, e.g. `{ d: 0.6931, g: 0.7012 }`; non-finite values
   *   are shown as `NaN` or `Infinity`. @defaultValue `{}`
   * @throws TypeError if `step` is not an integer or a value is not a number.
   * @throws RangeError if `step` is not in [0, total].
   * @throws Error if called after `stop()`.
   */
  update(step: number, values: Record<string, number> = {}): void {
    const where = 'ProgressBar.update';
    if (this.stopped) throw new Error(`${where}: the progress bar is stopped.`);
    checkStep(where, 'step', step, this.total);
    if (typeof values !== 'object' || values === null) {
      throw new TypeError(`${where}: values must be an object, got ${describeValue(values)}.`);
    }
    for (const [name, value] of Object.entries(values)) {
      if (typeof value !== 'number') {
        const got = describeValue(value);
        throw new TypeError(`${where}: values.${name} must be a number, got ${got}.`);
      }
    }
    this.lastStep = step;
    const fields = this.fields(step, values);
    if ((this.stream as { isTTY?: boolean }).isTTY === true) {
      this.drawBar(step, fields);
    } else {
      this.lastLine = formatLine(step, this.total, fields);
      const due = step - this.loggedStep >= this.logEvery;
      if (due || (step === this.total && this.loggedStep < step)) this.printLine();
    }
  }

  /** Ends the display: draws the bar a last time, or prints the last unprinted line. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.bar) this.bar.stop();
    else if (this.lastLine !== '' && this.loggedStep < this.lastStep) this.printLine();
  }

  private fields(step: number, values: Record<string, number>): ProgressFields {
    const seconds = (this.clock() - this.startTime) / 1000;
    const rate = seconds > 0 ? (step - this.initialStep) / seconds : 0;
    const left = rate > 0 ? (this.total - step) / rate : step === this.total ? 0 : NaN;
    const losses = Object.entries(values)
      .map(([name, value]) => `${name}=${formatValue(value)}`)
      .join(' ');
    return { losses, speed: formatRate(rate), remaining: formatDuration(left) };
  }

  private drawBar(step: number, fields: ProgressFields): void {
    if (!this.bar) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.stream,
          format: '{bar} {value}/{total} | {losses} | {speed} steps/s | ETA {remaining}',
          barsize: 24,
          hideCursor: false,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(this.total, step, fields);
    } else {
      this.bar.update(step, fields);
    }
  }

  private printLine(): void {
    this.stream.write(`${this.lastLine}\n`);
    this.loggedStep = this.lastStep;
  }
}

/**
 * The text fields of one progress line.
 *
 * @internal
 */
export interface ProgressFields {
  losses: string;
  speed: string;
  remaining: string;
}

function checkStep(where: string, name: string, value: unknown, total: number): number {
  checkInteger(where, name, value, 0);
  if ((value as number) > total) {
    throw new RangeError(`${where}: ${name} must be an integer in [0, ${total}], got ${value}.`);
  }
  return value as number;
}

/**
 * `step 100/1000 | d=0.6931 g=0.7012 | 12.5 steps/s | ETA 1:12`, dropping empty parts.
 *
 * @internal
 */
export function formatLine(step: number, total: number, fields: ProgressFields): string {
  const parts = [`step ${step}/${total}`, fields.losses, `${fields.speed} steps/s`];
  return [...parts.filter((p) => p !== ''), `ETA ${fields.remaining}`].join(' | ');
}

/**
 * A value to 4 significant digits (`0.6931`, `12.00`); `NaN` and infinities as words.
 *
 * @internal
 */
export function formatValue(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(4) : String(value);
}

/**
 * Steps per second: 3 significant digits below 100, whole numbers above.
 *
 * @internal
 */
export function formatRate(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate.toPrecision(3);
}

/**
 * Seconds as `m:ss` or `h:mm:ss`, rounded up; `--:--` when unknown.
 *
 * @internal
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const whole = Math.ceil(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
