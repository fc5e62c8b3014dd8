/**
 * Encoding and decoding behind the public checkpoint functions: argument checks, reading
 * tensors into one buffer, and verified decoding into new tensors.
 *
 * @module
 * @internal
 */
import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkJson, checkTensor, describeValue, FormatError } from '../errors';
import type {
  CheckpointArtifacts,
  CheckpointContents,
  CheckpointData,
  NamedTensor,
} from './checkpoint';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  verifyManifest,
  weightLabel,
  type CheckpointDtype,
  type CheckpointManifest,
  type CheckpointWeightSpec,
} from './checkpoint-manifest';

const DTYPES = ['float32', 'int32'] as const;

interface Entry extends NamedTensor {
  group: string;
}

function checkContents(where: string, data: CheckpointContents): Entry[] {
  if (typeof data !== 'object' || data === null) {
    throw new TypeError(`${where}: data must be an object, got ${describeValue(data)}.`);
  }
  checkInteger(where, 'step', data.step, 0);
  for (const key of ['config', 'state'] as const) {
    const value = key === 'state' && data.state === undefined ? {} : data[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TypeError(`${where}: ${key} must be a plain object, got ${describeValue(value)}.`);
    }
    checkJson(where, key, value);
  }
  checkJson(where, 'random', data.random);
  if (typeof data.groups !== 'object' || data.groups === null) {
    throw new TypeError(`${where}: groups must be an object, got ${describeValue(data.groups)}.`);
  }
  return Object.entries(data.groups).flatMap(([group, list]) => checkGroup(where, group, list));
}

function checkGroup(where: string, group: string, list: unknown): Entry[] {
  if (group === '') throw new RangeError(`${where}: group names must be non-empty.`);
  if (!Array.isArray(list)) {
    throw new TypeError(
      `${where}: groups.${group} must be an array of { name, tensor }, got ` +
        `${describeValue(list)}.`,
    );
  }
  const names = new Set<string>();
  return list.map((item: Partial<NamedTensor> | null, i) => {
    const name = item?.name;
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(
        `${where}: groups.${group}[${i}].name must be a non-empty string, got ` +
          `${describeValue(name)}.`,
      );
    }
    checkTensor(where, `groups.${group}[${i}].tensor`, item!.tensor);
    const tensor = item!.tensor as tf.Tensor;
    const label = weightLabel(group, name);
    if (tensor.isDisposed) throw new RangeError(`${where}: weight ${label} is disposed.`);
    if (!(DTYPES as readonly string[]).includes(tensor.dtype)) {
      throw new RangeError(
        `${where}: weight ${label} has dtype '${tensor.dtype}'; checkpoints hold float32 and ` +
          'int32 tensors only.',
      );
    }
    if (names.has(name)) {
      throw new RangeError(`${where}: weight name '${name}' appears twice in group '${group}'.`);
    }
    names.add(name);
    return { group, name, tensor };
  });
}

/** Checks `data` and encodes it; `where` starts every message. */
export async function encode(
  where: string,
  data: CheckpointContents,
): Promise<CheckpointArtifacts> {
  const entries = checkContents(where, data);
  const values: (Float32Array | Int32Array)[] = [];
  for (const { group, name, tensor } of entries) {
    const v = (await tensor.data()) as Float32Array | Int32Array;
    const bad = firstNonFinite(v);
    if (bad !== -1) {
      throw new RangeError(
        `${where}: weight ${weightLabel(group, name)} holds ${v[bad]} at index ${bad}; ` +
          'refusing to write a corrupt checkpoint.',
      );
    }
    values.push(v);
  }
  const weights: CheckpointWeightSpec[] = [];
  let offset = 0;
  entries.forEach(({ group, name, tensor }, i) => {
    const byteLength = values[i].byteLength;
    const dtype = tensor.dtype as CheckpointDtype;
    weights.push({ group, name, shape: [...tensor.shape], dtype, offset, byteLength });
    offset += byteLength;
  });
  const bytes = new Uint8Array(offset);
  values.forEach((v, i) => {
    bytes.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), weights[i].offset);
  });
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    step: data.step,
    // A JSON round trip drops undefined fields and detaches the state from the caller's objects.
    config: JSON.parse(JSON.stringify(data.config)),
    random: JSON.parse(JSON.stringify(data.random)),
    state: JSON.parse(JSON.stringify(data.state ?? {})),
    groups: Object.keys(data.groups),
    weights,
    byteLength: offset,
  };
  return { manifest, weightData: bytes.buffer };
}

function firstNonFinite(values: Float32Array | Int32Array): number {
  if (values instanceof Int32Array) return -1;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Verifies a manifest against its data and decodes it; `where` starts every message. */
export function decode(
  where: string,
  source: string,
  manifest: unknown,
  weightData: ArrayBuffer,
): CheckpointData {
  if (!(weightData instanceof ArrayBuffer)) {
    throw new FormatError(
      source,
      `${where}: weightData must be an ArrayBuffer, got ${describeValue(weightData)}.`,
    );
  }
  const m = verifyManifest(where, source, manifest, weightData.byteLength);
  // Copies, so the tensors never alias a buffer the caller may reuse.
  const arrays = m.weights.map(({ dtype, offset, byteLength }) => {
    const copy = weightData.slice(offset, offset + byteLength);
    return dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
  });
  arrays.forEach((values, i) => {
    const bad = firstNonFinite(values);
    if (bad !== -1) {
      const label = weightLabel(m.weights[i].group, m.weights[i].name);
      throw new FormatError(
        source,
        `${where}: weight ${label} holds ${values[bad]} at index ${bad}; the checkpoint is ` +
          'corrupt.',
      );
    }
  });
  const tensors = tf.tidy(() =>
    m.weights.map(({ shape, dtype }, i) => tf.tensor(arrays[i], shape, dtype)),
  );
  const groups: Record<string, NamedTensor[]> = {};
  for (const group of m.groups) groups[group] = [];
  m.weights.forEach(({ group, name }, i) => groups[group].push({ name, tensor: tensors[i] }));
  return {
    format: m.format,
    version: m.version,
    step: m.step,
    // Copies, so the result never aliases the manifest the caller passed.
    config: JSON.parse(JSON.stringify(m.config)),
    random: JSON.parse(JSON.stringify(m.random)),
    state: JSON.parse(JSON.stringify(m.state)),
    groups,
  };
}
