/**
 * The checkpoint manifest: the JSON half of a checkpoint, and the one check that every reader
 * and every store runs on it before a byte of weight data is trusted.
 *
 * @module
 */
import { describeValue, FormatError } from '../errors';

/**
 * The `format` value of every tfjs-gan checkpoint.
 *
 * @internal
 */
export const CHECKPOINT_FORMAT = 'tfjs-gan-checkpoint';
/**
 * The checkpoint version this release writes and reads.
 *
 * @internal
 */
export const CHECKPOINT_VERSION = 1;

/**
 * A JSON value: what `JSON.parse` can return.
 *
 * @category IO
 */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Tensor dtypes a checkpoint holds; both take 4 bytes per element.
 *
 * @category IO
 */
export type CheckpointDtype = 'float32' | 'int32';

/**
 * Where one tensor lives in a checkpoint's weight data.
 *
 * @category IO
 */
export interface CheckpointWeightSpec {
  /** The group the tensor belongs to, e.g. `'generator'` or `'discriminatorOptimizer'`. */
  group: string;
  /** The tensor's name, unique within its group, e.g. `'dense_1/kernel'`. */
  name: string;
  /** The tensor's shape, e.g. `[6272, 1]`. */
  shape: number[];
  /** `'float32'` or `'int32'`, 4 bytes per element, little-endian. */
  dtype: CheckpointDtype;
  /** Where the tensor's bytes start in the weight data. */
  offset: number;
  /** How many bytes it takes: the product of `shape` times 4. */
  byteLength: number;
}

/**
 * The JSON description of a checkpoint: everything except the tensors' bytes, and where each
 * tensor's bytes are.
 *
 * @category IO
 */
export interface CheckpointManifest {
  /** Always `'tfjs-gan-checkpoint'`. */
  format: 'tfjs-gan-checkpoint';
  /** The format version, `1`. */
  version: 1;
  /** How many training steps had run when the checkpoint was taken. */
  step: number;
  /** The training configuration, as JSON. */
  config: { [key: string]: JsonValue };
  /** The random stream's state, as JSON. */
  random: JsonValue;
  /** Other training state, as a JSON object. */
  state: { [key: string]: JsonValue };
  /** The group names, in order (a group may hold no tensors). */
  groups: string[];
  /** One entry per tensor, in the order their bytes follow one another. */
  weights: CheckpointWeightSpec[];
  /** Total bytes of weight data. */
  byteLength: number;
}

const BYTES_PER_ELEMENT = 4;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isName = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `'group/name'`, quoted, for messages.
 *
 * @internal
 */
export function weightLabel(group: string, name: string): string {
  return `'${group}/${name}'`;
}

/**
 * Checks a manifest against the weight data's length and returns it typed: format and
 * version, step, config, groups, each weight's fields, `shape × 4 = byteLength`, weights that
 * follow one another from byte 0 with no overlap or gap, names unique per group, and the
 * total length.
 *
 * @param where - the public function name that starts each message.
 * @param source - what is being read (a path, a URL), stored on the error.
 * @param manifest - the parsed JSON.
 * @param dataBytes - the length of the weight data that came with it.
 * @throws FormatError naming the first thing that is wrong.
 * @internal
 */
export function verifyManifest(
  where: string,
  source: string,
  manifest: unknown,
  dataBytes: number,
): CheckpointManifest {
  const fail: Fail = (message) => {
    throw new FormatError(source, `${where}: ${message}`);
  };
  if (!isObject(manifest)) fail(`the manifest must be an object, got ${describeValue(manifest)}.`);
  const m = manifest as Record<string, unknown>;
  if (m.format !== CHECKPOINT_FORMAT) {
    fail(
      `the manifest's format must be '${CHECKPOINT_FORMAT}', got ${describeValue(m.format)}; ` +
        'this is not a tfjs-gan checkpoint.',
    );
  }
  if (m.version !== CHECKPOINT_VERSION) {
    fail(
      `checkpoint version ${describeValue(m.version)} is not supported; this release of ` +
        `tfjs-gan reads version ${CHECKPOINT_VERSION}.`,
    );
  }
  const field = (key: string, ok: (v: unknown) => boolean, expected: string) => {
    const got = describeValue(m[key]);
    if (!ok(m[key])) fail(`the manifest's ${key} must be ${expected}, got ${got}.`);
  };
  field('step', isCount, 'an integer >= 0');
  field('config', isObject, 'an object');
  if (!('random' in m)) fail("the manifest has no 'random' field.");
  field('state', isObject, 'an object');
  field('groups', (v) => Array.isArray(v) && v.every(isName), 'an array of non-empty strings');
  const groups = new Set<string>();
  for (const group of m.groups as string[]) {
    if (groups.has(group)) fail(`group '${group}' is listed twice in the manifest.`);
    groups.add(group);
  }
  field('byteLength', isCount, 'an integer >= 0');
  if (m.byteLength !== dataBytes) {
    fail(`the manifest describes ${m.byteLength} bytes of weight data, got ${dataBytes}.`);
  }
  field('weights', Array.isArray, 'an array');
  const weights = (m.weights as unknown[]).map((w, i) => verifyWeight(w, i, groups, fail));
  verifyLayout(weights, dataBytes, fail);
  return manifest as unknown as CheckpointManifest;
}

type Fail = (message: string) => never;

/** Checks one entry's fields and its byte length against its shape. */
function verifyWeight(
  entry: unknown,
  index: number,
  groups: Set<string>,
  fail: Fail,
): CheckpointWeightSpec {
  const w = (isObject(entry) ? entry : {}) as Partial<Record<keyof CheckpointWeightSpec, unknown>>;
  if (!isName(w.group) || !isName(w.name)) {
    fail(
      `weight ${index} of the manifest must have a non-empty group and name, got ` +
        `${describeValue(entry)}.`,
    );
  }
  const spec = w as CheckpointWeightSpec;
  const label = weightLabel(spec.group, spec.name);
  if (!groups.has(spec.group)) {
    fail(
      `weight ${label} belongs to group '${spec.group}', which the manifest's groups do not ` +
        'list.',
    );
  }
  if (!Array.isArray(w.shape) || !w.shape.every(isCount)) {
    fail(`weight ${label} must have a shape of integers >= 0, got ${describeValue(w.shape)}.`);
  }
  if (w.dtype !== 'float32' && w.dtype !== 'int32') {
    fail(
      `weight ${label} has dtype ${describeValue(w.dtype)}; checkpoints hold float32 and int32 ` +
        'tensors only.',
    );
  }
  if (!isCount(w.offset) || !isCount(w.byteLength)) {
    fail(
      `weight ${label} must have an integer offset and byteLength >= 0, got offset ` +
        `${describeValue(w.offset)} and byteLength ${describeValue(w.byteLength)}.`,
    );
  }
  const needed = spec.shape.reduce((a, b) => a * b, 1) * BYTES_PER_ELEMENT;
  if (needed !== spec.byteLength) {
    fail(
      `weight ${label} needs ${needed} bytes for shape ${describeValue(spec.shape)} ` +
        `(${spec.dtype}), got ${spec.byteLength}.`,
    );
  }
  return spec;
}

/** Checks names are unique per group and the weights tile the data from byte 0 to the end. */
function verifyLayout(weights: CheckpointWeightSpec[], dataBytes: number, fail: Fail): void {
  const names = new Map<string, Set<string>>();
  let end = 0;
  weights.forEach(({ group, name, offset, byteLength }, index) => {
    const label = weightLabel(group, name);
    const inGroup = names.get(group) ?? new Set<string>();
    if (inGroup.has(name)) fail(`weight name '${name}' appears twice in group '${group}'.`);
    names.set(group, inGroup.add(name));
    if (offset !== end) {
      const before = index === 0 ? 'the weight data starts' : 'the weight before it ends';
      fail(
        `weight ${label} starts at byte ${offset}, but ${before} at byte ${end}; weights must ` +
          'follow one another with no overlap or gap.',
      );
    }
    end = offset + byteLength;
    if (end > dataBytes) {
      fail(
        `weight ${label} ends at byte ${end}, past the end of the weight data ` +
          `(${dataBytes} bytes).`,
      );
    }
  });
  if (end !== dataBytes) {
    fail(`the weights end at byte ${end}, but the weight data holds ${dataBytes} bytes.`);
  }
}
