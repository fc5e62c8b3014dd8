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
    throw new RangeError(`${where}: ${name} must have shape ${want}, got ${describeValue([...shape])}.`);
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
