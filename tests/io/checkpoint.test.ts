import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { FormatError } from '../../src/errors';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  type CheckpointArtifacts,
  type CheckpointContents,
  type CheckpointStore,
} from '../../src/io/checkpoint';
import type { CheckpointManifest } from '../../src/io/checkpoint-manifest';
import { expectNoLeaks, expectRejects, expectThrows } from '../helpers/fixtures/throws';

/**
 * Two groups with tensors and one empty group:
 *   generator/dense/kernel  [2,3] float32  6 values · 4 bytes = 24 bytes at offset 0
 *   generator/dense/bias    [3]   float32  3 · 4 = 12 bytes at offset 24
 *   generatorOptimizer/iter []    int32    1 · 4 = 4 bytes at offset 36
 *   generatorOptimizer/dense/kernel/m [2] float32  2 · 4 = 8 bytes at offset 40
 * Total 48 bytes.
 */
function contents(): { data: CheckpointContents; tensors: tf.Tensor[] } {
  const kernel = tf.tensor2d([0.5, 1, 1.5, 2, 2.5, 3], [2, 3]);
  const bias = tf.tensor1d([-1, 0, 1]);
  const iter = tf.scalar(7, 'int32');
  const moment = tf.tensor1d([0.25, -0.125]);
  const data: CheckpointContents = {
    step: 7,
    config: { latentDim: 2, loss: 'hinge', betas: [0.5, 0.999], ema: null },
    random: { i: 3, j: 250, S: [1, 2, 3] },
    state: { failureDetector: { history: [0.5, 0.25] } },
    groups: {
      generator: [
        { name: 'dense/kernel', tensor: kernel },
        { name: 'dense/bias', tensor: bias },
      ],
      generatorOptimizer: [
        { name: 'iter', tensor: iter },
        { name: 'dense/kernel/m', tensor: moment },
      ],
      generatorEma: [],
    },
  };
  return { data, tensors: [kernel, bias, iter, moment] };
}

async function encoded(): Promise<CheckpointArtifacts> {
  const { data, tensors } = contents();
  const artifacts = await encodeCheckpoint(data);
  tf.dispose(tensors);
  return artifacts;
}

function disposeData(groups: Record<string, { tensor: tf.Tensor }[]>): void {
  for (const list of Object.values(groups)) for (const { tensor } of list) tensor.dispose();
}

/** Decoding `manifest` (edited by `edit`) with `weightData` throws FormatError `message`. */
async function expectCorrupt(
  edit: (m: CheckpointManifest) => void,
  message: string,
  data?: (bytes: ArrayBuffer) => ArrayBuffer,
): Promise<void> {
  const { manifest, weightData } = await encoded();
  const copy = structuredClone(manifest);
  edit(copy);
  const bytes = data ? data(weightData) : weightData;
  await expectNoLeaks(() => {
    expectThrows(() => decodeCheckpoint(copy, bytes), FormatError, `decodeCheckpoint: ${message}`);
  });
}

function spec(
  group: string,
  name: string,
  shape: number[],
  dtype: string,
  offset: number,
  byteLength: number,
) {
  return { group, name, shape, dtype, offset, byteLength };
}

describe('encodeCheckpoint', () => {
  it('lays the tensors out one after another and describes each in the manifest', async () => {
    const { manifest, weightData } = await encoded();
    // Offsets and lengths as worked out above contents(): 24, 12, 4, 8 bytes; 48 in total.
    expect(manifest).toEqual({
      format: 'tfjs-gan-checkpoint',
      version: 1,
      step: 7,
      config: { latentDim: 2, loss: 'hinge', betas: [0.5, 0.999], ema: null },
      random: { i: 3, j: 250, S: [1, 2, 3] },
      state: { failureDetector: { history: [0.5, 0.25] } },
      groups: ['generator', 'generatorOptimizer', 'generatorEma'],
      weights: [
        spec('generator', 'dense/kernel', [2, 3], 'float32', 0, 24),
        spec('generator', 'dense/bias', [3], 'float32', 24, 12),
        spec('generatorOptimizer', 'iter', [], 'int32', 36, 4),
        spec('generatorOptimizer', 'dense/kernel/m', [2], 'float32', 40, 8),
      ],
      byteLength: 48,
    });
    expect(weightData.byteLength).toBe(48);
    // float32 0.5 is 0x3F000000, stored little-endian: 00 00 00 3F.
    expect(Array.from(new Uint8Array(weightData, 0, 4))).toEqual([0x00, 0x00, 0x00, 0x3f]);
    // int32 7 at byte 36 is 07 00 00 00.
    expect(Array.from(new Uint8Array(weightData, 36, 4))).toEqual([7, 0, 0, 0]);
  });

  it('reads without disposing its inputs and leaks no tensors', async () => {
    const { data, tensors } = contents();
    await expectNoLeaks(() => encodeCheckpoint(data));
    expect(tensors.every((t) => !t.isDisposed)).toBe(true);
    tf.dispose(tensors);
  });

  it('refuses content it cannot store faithfully, with exact messages', async () => {
    const { data, tensors } = contents();
    const nan = tf.tensor1d([1, 2, NaN]);
    const flag = tf.tensor1d([1, 0], 'bool');
    const gone = tf.scalar(1);
    gone.dispose();
    const cases: [CheckpointContents, ErrorConstructor, string][] = [
      [{ ...data, step: -1 }, RangeError, 'step must be an integer >= 0, got -1.'],
      [{ ...data, config: [] }, TypeError, 'config must be a plain object, got [].'],
      [{ ...data, state: null as never }, TypeError, 'state must be a plain object, got null.'],
      [
        { ...data, state: { seen: new Map() } },
        TypeError,
        'state.seen must be JSON data (null, a boolean, a finite number, a string, an array or ' +
          'a plain object), got a Map.',
      ],
      [
        { ...data, config: { lr: NaN } },
        TypeError,
        'config.lr must be JSON data (null, a boolean, a finite number, a string, an array or ' +
          'a plain object), got NaN.',
      ],
      [
        { ...data, random: undefined },
        TypeError,
        'random must be JSON data (null, a boolean, a finite number, a string, an array or a ' +
          'plain object), got undefined.',
      ],
      [
        { ...data, groups: { generator: [{ name: 'w', tensor: nan }] } },
        RangeError,
        "weight 'generator/w' holds NaN at index 2; refusing to write a corrupt checkpoint.",
      ],
      [
        { ...data, groups: { discriminator: [{ name: 'w', tensor: flag }] } },
        RangeError,
        "weight 'discriminator/w' has dtype 'bool'; checkpoints hold float32 and int32 " +
          'tensors only.',
      ],
      [
        { ...data, groups: { g: [{ name: 'w', tensor: gone }] } },
        RangeError,
        "weight 'g/w' is disposed.",
      ],
      [
        {
          ...data,
          groups: {
            g: [
              { name: 'w', tensor: tensors[0] },
              { name: 'w', tensor: tensors[1] },
            ],
          },
        },
        RangeError,
        "weight name 'w' appears twice in group 'g'.",
      ],
      [
        { ...data, groups: { g: [{ name: '', tensor: tensors[0] }] } },
        TypeError,
        "groups.g[0].name must be a non-empty string, got ''.",
      ],
      [
        { ...data, groups: { g: [{ name: 'w', tensor: [1, 2] as unknown as tf.Tensor }] } },
        TypeError,
        'groups.g[0].tensor must be a tf.Tensor, got [1,2].',
      ],
    ];
    for (const [bad, type, message] of cases) {
      await expectRejects(encodeCheckpoint(bad), type, `encodeCheckpoint: ${message}`);
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    await expectRejects(
      encodeCheckpoint({ ...data, config: cyclic }),
      TypeError,
      'encodeCheckpoint: config.self refers back to itself.',
    );
    tf.dispose([...tensors, nan, flag]);
  });
});

describe('decodeCheckpoint', () => {
  it('round-trips every group, name, shape, dtype and value exactly', async () => {
    const { data, tensors } = contents();
    const { manifest, weightData } = await encodeCheckpoint(data);
    const decoded = decodeCheckpoint(manifest, weightData);
    expect(decoded.format).toBe('tfjs-gan-checkpoint');
    expect(decoded.version).toBe(1);
    expect(decoded.step).toBe(7);
    expect(decoded.config).toEqual(data.config);
    expect(decoded.random).toEqual(data.random);
    expect(decoded.state).toEqual(data.state);
    const groups = ['generator', 'generatorOptimizer', 'generatorEma'];
    expect(Object.keys(decoded.groups)).toEqual(groups);
    expect(decoded.groups.generatorEma).toEqual([]);
    for (const [group, list] of Object.entries(data.groups)) {
      const restored = decoded.groups[group];
      expect(restored.map((n) => n.name)).toEqual(list.map((n) => n.name));
      for (const [i, { tensor }] of list.entries()) {
        expect(restored[i].tensor.shape).toEqual(tensor.shape);
        expect(restored[i].tensor.dtype).toBe(tensor.dtype);
        // Bit-exact: the bytes are copied, never converted.
        expect(await restored[i].tensor.data()).toEqual(await tensor.data());
      }
    }
    disposeData(decoded.groups);
    tf.dispose(tensors);
  });

  it('copies the weight data: later writes to the buffer do not reach the tensors', async () => {
    const { manifest, weightData } = await encoded();
    const decoded = decodeCheckpoint(manifest, weightData);
    new Float32Array(weightData, 0, 1)[0] = 99;
    // The first kernel value was 0.5.
    expect((await decoded.groups.generator[0].tensor.data())[0]).toBe(0.5);
    disposeData(decoded.groups);
  });

  it('keeps the tensor count flat over 10 encode/decode cycles', async () => {
    const { data, tensors } = contents();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      const { manifest, weightData } = await encodeCheckpoint(data);
      disposeData(decodeCheckpoint(manifest, weightData).groups);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(tensors);
  });

  it('rejects truncated weight data', async () => {
    // 48 bytes are described; cutting the last 8 leaves 40.
    await expectCorrupt(
      () => {},
      'the manifest describes 48 bytes of weight data, got 40.',
      (bytes) => bytes.slice(0, 40),
    );
  });

  it('rejects a wrong total: trailing bytes no weight describes', async () => {
    // 4 extra bytes, and the manifest claims all 52: the weights still end at 24+12+4+8 = 48.
    await expectCorrupt(
      (m) => {
        m.byteLength = 52;
      },
      'the weights end at byte 48, but the weight data holds 52 bytes.',
      (bytes) => {
        const longer = new Uint8Array(52);
        longer.set(new Uint8Array(bytes));
        return longer.buffer;
      },
    );
  });

  it('rejects overlapping offsets and gaps', async () => {
    // The kernel occupies bytes 0..24, so a bias starting at 20 overlaps it by 4 bytes.
    await expectCorrupt((m) => {
      m.weights[1].offset = 20;
    }, "weight 'generator/dense/bias' starts at byte 20, but the weight before it ends at byte " + '24; weights must follow one another with no overlap or gap.');
    await expectCorrupt((m) => {
      m.weights[0].offset = 4;
    }, "weight 'generator/dense/kernel' starts at byte 4, but the weight data starts at byte 0; " + 'weights must follow one another with no overlap or gap.');
  });

  it('rejects a weight that runs past the end of the data', async () => {
    // The moment becomes [3]: 12 bytes from offset 40 end at 52, past the 48 there are.
    await expectCorrupt((m) => {
      m.weights[3].shape = [3];
      m.weights[3].byteLength = 12;
    }, "weight 'generatorOptimizer/dense/kernel/m' ends at byte 52, past the end of the weight " + 'data (48 bytes).');
  });

  it('rejects a shape that does not match the byte length', async () => {
    // 6272 · 1 float32 values need 6272 · 4 = 25088 bytes.
    await expectCorrupt((m) => {
      m.groups.push('discriminator');
      m.weights.unshift({
        group: 'discriminator',
        name: 'dense_1/kernel',
        shape: [6272, 1],
        dtype: 'float32',
        offset: 0,
        byteLength: 100,
      });
    }, "weight 'discriminator/dense_1/kernel' needs 25088 bytes for shape [6272,1] (float32), " + 'got 100.');
  });

  it('rejects a bad format, version, step or config', async () => {
    await expectCorrupt((m) => {
      (m as { format: string }).format = 'layers-model';
    }, "the manifest's format must be 'tfjs-gan-checkpoint', got 'layers-model'; this is not a " + 'tfjs-gan checkpoint.');
    await expectCorrupt((m) => {
      (m as { version: number }).version = 2;
    }, 'checkpoint version 2 is not supported; this release of tfjs-gan reads version 1.');
    await expectCorrupt((m) => {
      m.step = 1.5;
    }, "the manifest's step must be an integer >= 0, got 1.5.");
    await expectCorrupt((m) => {
      (m as { config: unknown }).config = null;
    }, "the manifest's config must be an object, got null.");
    await expectCorrupt((m) => {
      delete (m as { state?: unknown }).state;
    }, "the manifest's state must be an object, got undefined.");
    expectThrows(
      () => decodeCheckpoint('{}', new ArrayBuffer(0)),
      FormatError,
      "decodeCheckpoint: the manifest must be an object, got '{}'.",
    );
  });

  it('rejects duplicate names, duplicate or unknown groups and unknown dtypes', async () => {
    await expectCorrupt((m) => {
      m.weights[1].name = 'dense/kernel';
    }, "weight name 'dense/kernel' appears twice in group 'generator'.");
    await expectCorrupt((m) => {
      m.groups.push('generator');
    }, "group 'generator' is listed twice in the manifest.");
    await expectCorrupt((m) => {
      m.groups.shift();
    }, "weight 'generator/dense/kernel' belongs to group 'generator', which the manifest's " + 'groups do not list.');
    await expectCorrupt((m) => {
      (m.weights[2] as { dtype: string }).dtype = 'int64';
    }, "weight 'generatorOptimizer/iter' has dtype 'int64'; checkpoints hold float32 and int32 " + 'tensors only.');
  });

  it('rejects non-finite values without creating any tensor', async () => {
    // Value 2 of the kernel (bytes 8..12) becomes NaN.
    await expectCorrupt(
      () => {},
      "weight 'generator/dense/kernel' holds NaN at index 2; the checkpoint is corrupt.",
      (bytes) => {
        const copy = bytes.slice(0);
        new Float32Array(copy, 8, 1)[0] = NaN;
        return copy;
      },
    );
  });
});

/** A store that keeps one checkpoint in memory. */
function memoryStore(): CheckpointStore & { kept?: CheckpointArtifacts } {
  const store: CheckpointStore & { kept?: CheckpointArtifacts } = {
    location: 'memory',
    async save(artifacts) {
      store.kept = artifacts;
    },
    async load() {
      return store.kept!;
    },
  };
  return store;
}

describe('saveCheckpoint and loadCheckpoint', () => {
  it('round-trip through a store', async () => {
    const { data, tensors } = contents();
    const store = memoryStore();
    await saveCheckpoint(store, data);
    const loaded = await loadCheckpoint(store);
    expect(loaded.step).toBe(7);
    // dense/bias was [-1, 0, 1].
    expect(Array.from(await loaded.groups.generator[1].tensor.data())).toEqual([-1, 0, 1]);
    disposeData(loaded.groups);
    tf.dispose(tensors);
  });

  it('name themselves in messages and set the store location as the error source', async () => {
    const store = memoryStore();
    const { data, tensors } = contents();
    await expectRejects(
      saveCheckpoint(store, { ...data, step: -2 }),
      RangeError,
      'saveCheckpoint: step must be an integer >= 0, got -2.',
    );
    expect(store.kept).toBeUndefined();
    await saveCheckpoint(store, data);
    store.kept = { ...store.kept!, weightData: store.kept!.weightData.slice(0, 47) };
    const error = await expectRejects(
      loadCheckpoint(store),
      FormatError,
      'loadCheckpoint: the manifest describes 48 bytes of weight data, got 47.',
    );
    expect((error as FormatError).source).toBe('memory');
    await expectRejects(
      loadCheckpoint({} as CheckpointStore),
      TypeError,
      'loadCheckpoint: store must be a CheckpointStore with save and load, got an object.',
    );
    tf.dispose(tensors);
  });
});
