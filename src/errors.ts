/**
 * The library's own error classes and the one place where argument checks are worded, so
 * every message reads the same way: `<where>: <argument> must be <expected>, got <received>.`
 *
 * @module
 */

/** Formats a value for an error message: shapes as `[a,b]`, strings quoted, others as-is. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => describeValue(v)).join(',')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  const name = (value as object).constructor?.name;
  if (!name || name === 'Object') return typeof value === 'function' ? 'a function' : 'an object';
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}

/** Throws a `TypeError` unless `value` is a finite number. */
export function checkNumber(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${where}: ${name} must be a finite number, got ${describeValue(value)}.`);
  }
  return value;
}

/** Throws unless `value` is an integer no smaller than `min` (`TypeError` or `RangeError`). */
export function checkInteger(where: string, name: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where}: ${name} must be an integer, got ${describeValue(value)}.`);
  }
  if (value < min) {
    throw new RangeError(
      `${where}: ${name} must be an integer >= ${min}, got ${describeValue(value)}.`,
    );
  }
  return value;
}

/** Throws a `RangeError` unless `min <= value <= max`. */
export function checkRange(
  where: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
): number {
  checkNumber(where, name, value);
  const v = value as number;
  if (v < min || v > max) {
    throw new RangeError(`${where}: ${name} must be in [${min}, ${max}], got ${v}.`);
  }
  return v;
}

/** Throws a `RangeError` unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(
  where: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((a) => `'${a}'`).join(', ');
    throw new RangeError(`${where}: ${name} must be one of ${list}, got ${describeValue(value)}.`);
  }
  return value as T;
}

/** Throws a `RangeError` unless `shape` equals `expected`; `null` in `expected` matches any size. */
export function checkShape(
  where: string,
  name: string,
  shape: readonly number[],
  expected: readonly (number | null)[],
): void {
  const ok =
    shape.length === expected.length && expected.every((e, i) => e === null || e === shape[i]);
  if (!ok) {
    const want = `[${expected.map((e) => (e === null ? '?' : e)).join(',')}]`;
    throw new RangeError(
      `${where}: ${name} must have shape ${want}, got ${describeValue([...shape])}.`,
    );
  }
}

/** A training loss became NaN or infinite; training stops with the step and network named. */
export class NonFiniteLossError extends Error {
  /** Always `'NonFiniteLossError'`. */
  override readonly name = 'NonFiniteLossError';
  /** The step (0-based) at which the loss was seen. */
  readonly step: number;
  /** Which network's loss it was. */
  readonly network: 'generator' | 'discriminator';
  /** The value that was seen. */
  readonly value: number;

  constructor(step: number, network: 'generator' | 'discriminator', value: number) {
    super(`Trainer: the ${network} loss is ${value} at step ${step}; training stopped.`);
    this.step = step;
    this.network = network;
    this.value = value;
  }
}

/** A file or buffer is not in the format it claims to be (bad magic, truncated, wrong size). */
export class FormatError extends Error {
  /** Always `'FormatError'`. */
  override readonly name = 'FormatError';
  /** What was being read, e.g. a file path or `'buffer'`. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(message);
    this.source = source;
  }
}

/** Throws a `TypeError` unless `value` is a `tf.Tensor` (checked without importing tfjs). */
export function checkTensor(where: string, name: string, value: unknown): void {
  const isTensor =
    value !== null &&
    typeof value === 'object' &&
    Array.isArray((value as { shape?: unknown }).shape) &&
    typeof (value as { dataId?: unknown }).dataId === 'object' &&
    typeof (value as { dtype?: unknown }).dtype === 'string';
  if (!isTensor) {
    throw new TypeError(`${where}: ${name} must be a tf.Tensor, got ${describeValue(value)}.`);
  }
}

/** Throws a `TypeError` unless `value` is a function. */
export function checkFunction(where: string, name: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new TypeError(`${where}: ${name} must be a function, got ${describeValue(value)}.`);
  }
}

/** Throws a `RangeError` unless two shapes are equal, naming both arguments and shapes. */
export function checkSameShape(
  where: string,
  names: readonly [string, string],
  shapes: readonly [readonly number[], readonly number[]],
): void {
  const [a, b] = shapes;
  if (a.length !== b.length || a.some((size, i) => size !== b[i])) {
    throw new RangeError(
      `${where}: ${names[0]} and ${names[1]} must have the same shape, ` +
        `got ${describeValue([...a])} and ${describeValue([...b])}.`,
    );
  }
}

/**
 * Throws a `RangeError` unless `shape` holds one value per sample: `[batch]` or `[batch, 1]`,
 * with `batch >= 1` (equal to `batch` when given).
 */
export function checkPerSampleShape(
  where: string,
  name: string,
  shape: readonly number[],
  batch?: number,
): void {
  const size = shape[0];
  const ok =
    (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) &&
    size >= 1 &&
    (batch === undefined || size === batch);
  if (!ok) {
    const b = batch === undefined ? 'batch' : String(batch);
    throw new RangeError(
      `${where}: ${name} must have shape [${b}] or [${b},1], got ${describeValue([...shape])}.`,
    );
  }
}

/** Throws unless `value` is a finite number `> 0` (`TypeError` or `RangeError`). */
export function checkPositive(where: string, name: string, value: unknown): number {
  const v = checkNumber(where, name, value);
  if (v <= 0) throw new RangeError(`${where}: ${name} must be > 0, got ${v}.`);
  return v;
}

/** Throws unless `value` is a finite number `>= 0` (`TypeError` or `RangeError`). */
export function checkNonNegative(where: string, name: string, value: unknown): number {
  const v = checkNumber(where, name, value);
  if (v < 0) throw new RangeError(`${where}: ${name} must be >= 0, got ${v}.`);
  return v;
}

/** Throws a `TypeError` unless `value` is `true` or `false`. */
export function checkBoolean(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${where}: ${name} must be true or false, got ${describeValue(value)}.`);
  }
  return value;
}

/**
 * Throws unless `options` is a plain options object (`TypeError`) whose keys are all in
 * `allowed` (`RangeError`), so an option that is not supported is never silently ignored.
 */
export function checkOptions(where: string, options: unknown, allowed: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const list = allowed.map((a) => `'${a}'`).join(', ');
      const supported =
        allowed.length === 0 ? 'it takes no options' : `the supported options are ${list}`;
      throw new RangeError(`${where}: option '${key}' is not supported; ${supported}.`);
    }
  }
}

/**
 * Throws unless `value` is an interval `[lo, hi]` of two finite numbers with `lo <= hi`
 * (`TypeError` for the wrong kind of value, `RangeError` for reversed ends).
 */
export function checkInterval(where: string, name: string, value: unknown): [number, number] {
  const pair =
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((end) => typeof end === 'number' && Number.isFinite(end));
  if (!pair) {
    throw new TypeError(
      `${where}: ${name} must be [lo, hi] with finite numbers, got ${describeValue(value)}.`,
    );
  }
  const [lo, hi] = value as [number, number];
  if (lo > hi) {
    throw new RangeError(`${where}: ${name} must be [lo, hi] with lo <= hi, got [${lo},${hi}].`);
  }
  return [lo, hi];
}

/**
 * Throws a `TypeError` unless `value` is JSON data that survives `JSON.stringify` and
 * `JSON.parse` unchanged: `null`, booleans, finite numbers, strings, arrays and plain objects,
 * with no cycles. Object fields that are `undefined` are allowed (JSON leaves them out).
 */
export function checkJson(where: string, name: string, value: unknown): void {
  const ancestors = new Set<object>();
  const visit = (v: unknown, path: string): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number' && Number.isFinite(v)) return;
    const plain =
      typeof v === 'object' &&
      (Array.isArray(v) || [Object.prototype, null].includes(Object.getPrototypeOf(v)));
    if (!plain) {
      throw new TypeError(
        `${where}: ${path} must be JSON data (null, a boolean, a finite number, a string, ` +
          `an array or a plain object), got ${describeValue(v)}.`,
      );
    }
    if (ancestors.has(v)) throw new TypeError(`${where}: ${path} refers back to itself.`);
    ancestors.add(v);
    if (Array.isArray(v)) v.forEach((item, i) => visit(item, `${path}[${i}]`));
    else {
      for (const [key, item] of Object.entries(v)) {
        if (item !== undefined) visit(item, `${path}.${key}`);
      }
    }
    ancestors.delete(v);
  };
  visit(value, name);
}
