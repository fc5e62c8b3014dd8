import * as fs from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { FormatError } from '../../src/errors';
import {
  loadCheckpoint,
  saveCheckpoint,
  type CheckpointContents,
  type NamedTensor,
} from '../../src/io/checkpoint';
import { tfjsIOStore } from '../../src/io/checkpoint-tfjs';
import { checkpointDirectory } from '../../src/node/checkpoint-dir';
import { expectRejects, expectThrows } from '../helpers/fixtures/throws';

// Every file call of the store goes through these spies, so a test can make one call fail
// and so stop a save at that exact point, as a crash would.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, open: vi.fn(actual.open), rename: vi.fn(actual.rename) };
});
const renameSpy = vi.mocked(fs.rename);
const openSpy = vi.mocked(fs.open);

let root: string;
let count = 0;
const freshDir = () => join(root, `run-${count++}`);

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'tfjs-gan-ckpt-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});
afterEach(() => {
  renameSpy.mockClear();
  openSpy.mockClear();
});

/** One [3] float32 weight whose values are `step + [0.5, 1, 1.5]`: 12 bytes of weight data. */
async function save(dir: string, step: number, options?: { keep?: number }): Promise<void> {
  const tensor = tf.tensor1d([step + 0.5, step + 1, step + 1.5]);
  const data: CheckpointContents = {
    step,
    config: { run: 'a' },
    random: [step],
    groups: { generator: [{ name: 'w', tensor }] },
  };
  try {
    await saveCheckpoint(checkpointDirectory(dir, options), data);
  } finally {
    tensor.dispose();
  }
}

/** The step and the weight values of the checkpoint `load` reads. */
async function loaded(dir: string, name?: string): Promise<[number, number[]]> {
  const store = checkpointDirectory(dir);
  const { step, groups } = await loadCheckpoint({ ...store, load: () => store.load(name) });
  const values = Array.from(await groups.generator[0].tensor.data());
  dispose(groups);
  return [step, values];
}

function dispose(groups: Record<string, NamedTensor[]>): void {
  for (const list of Object.values(groups)) for (const { tensor } of list) tensor.dispose();
}

const entries = async (dir: string) => (await fs.readdir(dir)).sort();

/** The single retained checkpoint folder of `dir`. */
async function onlyFolder(dir: string): Promise<string> {
  const [entry] = await checkpointDirectory(dir).list();
  return entry.path;
}

/** Makes the first call of `spy` whose first argument satisfies `match` fail with EIO. */
function failOnce(spy: typeof renameSpy | typeof openSpy, match: (path: string) => boolean) {
  const original = spy.getMockImplementation()!;
  spy.mockImplementation(((path: string, ...rest: unknown[]) => {
    if (match(String(path))) {
      spy.mockImplementation(original as never);
      return Promise.reject(Object.assign(new Error('simulated crash'), { code: 'EIO' }));
    }
    return (original as (...args: unknown[]) => unknown)(path, ...rest);
  }) as never);
}

describe('checkpointDirectory', () => {
  it('round-trips a checkpoint and writes latest.json plus one complete folder', async () => {
    const dir = freshDir();
    await save(dir, 4);
    // step 4: 4.5, 5, 5.5.
    expect(await loaded(dir)).toEqual([4, [4.5, 5, 5.5]]);
    const [entry] = await checkpointDirectory(dir).list();
    expect(entry.name).toMatch(/^ckpt-4-[0-9a-f]{8}$/);
    expect(entry.step).toBe(4);
    expect(await entries(dir)).toEqual([entry.name, 'latest.json']);
    expect(await entries(entry.path)).toEqual(['checkpoint.json', 'weights.bin']);
    // Three float32 values.
    expect((await fs.stat(join(entry.path, 'weights.bin'))).size).toBe(12);
    const list = JSON.parse(await fs.readFile(join(dir, 'latest.json'), 'utf8'));
    expect(list).toEqual({ format: 'tfjs-gan-checkpoint-list', checkpoints: [entry.name] });
  });

  it('flushes every file and folder it writes, in order, before making it the latest', async () => {
    const dir = freshDir();
    await save(dir, 1);
    const folder = basename(await onlyFolder(dir));
    const name = (path: unknown) =>
      basename(String(path)).replace(/^\.latest\.json\.[0-9a-f]+\.tmp-tfjs-gan$/, '<temp list>');
    // Files are opened 'wx' to be written and flushed; folders 'r' to be flushed.
    expect(openSpy.mock.calls.map(([path, flags]) => `${name(path)} ${flags}`)).toEqual([
      'weights.bin wx',
      'checkpoint.json wx',
      `.tmp-${folder} r`,
      `${basename(dir)} r`,
      '<temp list> wx',
      `${basename(dir)} r`,
    ]);
    // The folder is renamed into place before the list naming it replaces the old list.
    expect(renameSpy.mock.calls.map(([from, to]) => `${name(from)} -> ${name(to)}`)).toEqual([
      `.tmp-${folder} -> ${folder}`,
      '<temp list> -> latest.json',
    ]);
  });

  it('keeps the newest `keep` checkpoints and can load each of them', async () => {
    const dir = freshDir();
    for (const step of [1, 2, 3]) await save(dir, step);
    const list = await checkpointDirectory(dir).list();
    // keep defaults to 2: steps 3 and 2, newest first; step 1 is removed.
    expect(list.map((e) => e.step)).toEqual([3, 2]);
    expect(await entries(dir)).toEqual([...list.map((e) => e.name), 'latest.json'].sort());
    expect(await loaded(dir)).toEqual([3, [3.5, 4, 4.5]]);
    expect(await loaded(dir, list[1].name)).toEqual([2, [2.5, 3, 3.5]]);
    await save(dir, 4, { keep: 1 });
    expect((await checkpointDirectory(dir).list()).map((e) => e.step)).toEqual([4]);
    expect((await entries(dir)).length).toBe(2);
  });

  it('saves the same step twice as two checkpoints', async () => {
    const dir = freshDir();
    await save(dir, 5);
    await save(dir, 5);
    const list = await checkpointDirectory(dir).list();
    expect(list.map((e) => e.step)).toEqual([5, 5]);
    expect(list[0].name).not.toBe(list[1].name);
  });

  it('runs saves on one store one after the other', async () => {
    const dir = freshDir();
    const store = checkpointDirectory(dir, { keep: 5 });
    const tensors = [0, 1, 2].map((i) => tf.scalar(i));
    const data = (tensor: tf.Tensor, step: number): CheckpointContents => ({
      step,
      config: {},
      random: null,
      groups: { g: [{ name: 'x', tensor }] },
    });
    await Promise.all(tensors.map((tensor, step) => saveCheckpoint(store, data(tensor, step))));
    // Each save read the list the one before it wrote, so none was lost.
    expect((await store.list()).map((e) => e.step)).toEqual([2, 1, 0]);
    tf.dispose(tensors);
  });

  describe('after a crash', () => {
    it('while writing the files, still loads the previous checkpoint', async () => {
      const dir = freshDir();
      await save(dir, 1);
      failOnce(openSpy, (path) => path.endsWith('checkpoint.json'));
      await expect(save(dir, 2)).rejects.toThrow('simulated crash');
      expect(await loaded(dir)).toEqual([1, [1.5, 2, 2.5]]);
      // The half-written folder is gone.
      expect(await entries(dir)).toEqual([basename(await onlyFolder(dir)), 'latest.json']);
    });

    it('before the folder is renamed into place, still loads the previous checkpoint', async () => {
      const dir = freshDir();
      await save(dir, 1);
      failOnce(renameSpy, (path) => basename(path).startsWith('.tmp-ckpt-'));
      await expect(save(dir, 2)).rejects.toThrow('simulated crash');
      expect(await loaded(dir)).toEqual([1, [1.5, 2, 2.5]]);
      expect((await entries(dir)).length).toBe(2);
    });

    it('before latest.json is replaced, still loads the previous checkpoint', async () => {
      const dir = freshDir();
      await save(dir, 1);
      failOnce(renameSpy, (path) => basename(path).startsWith('.latest.json.'));
      await expect(save(dir, 2)).rejects.toThrow('simulated crash');
      expect(await loaded(dir)).toEqual([1, [1.5, 2, 2.5]]);
      expect((await entries(dir)).length).toBe(2);
      // The next save works normally and the list goes on from the previous checkpoint.
      await save(dir, 3);
      expect((await checkpointDirectory(dir).list()).map((e) => e.step)).toEqual([3, 1]);
    });

    it('that left debris, ignores it and removes it at the next save', async () => {
      const dir = freshDir();
      await save(dir, 1);
      // What a process killed mid-save leaves: a temporary folder with a truncated file, a
      // complete but unlisted folder holding garbage, and a temporary latest.json.
      await fs.mkdir(join(dir, '.tmp-ckpt-2-0badf00d'));
      await fs.writeFile(join(dir, '.tmp-ckpt-2-0badf00d', 'weights.bin'), new Uint8Array(5));
      await fs.mkdir(join(dir, 'ckpt-2-deadbeef'));
      await fs.writeFile(join(dir, 'ckpt-2-deadbeef', 'checkpoint.json'), '{"trunc');
      await fs.writeFile(join(dir, '.latest.json.a1b2c3d4e5f6.tmp-tfjs-gan'), '{"form');
      await fs.writeFile(join(dir, 'notes.txt'), 'mine');
      expect(await loaded(dir)).toEqual([1, [1.5, 2, 2.5]]);
      await save(dir, 3);
      const names = (await checkpointDirectory(dir).list()).map((e) => e.name);
      // Only the two retained checkpoints, the list and the user's own file remain.
      expect(await entries(dir)).toEqual([...names, 'latest.json', 'notes.txt'].sort());
    });
  });

  describe('on load', () => {
    it('refuses folder names in latest.json that could leave the folder', async () => {
      const dir = freshDir();
      await save(dir, 1);
      const listPath = join(dir, 'latest.json');
      for (const name of ['../outside', '/etc', 'ckpt-1-0000000g']) {
        await fs.writeFile(
          listPath,
          JSON.stringify({ format: 'tfjs-gan-checkpoint-list', checkpoints: [name] }),
        );
        const error = await expectRejects(
          loadCheckpoint(checkpointDirectory(dir)),
          FormatError,
          `checkpointDirectory: '${listPath}' names the folder '${name}', which is not a ` +
            'checkpoint folder name (ckpt-<step>-<8 hex digits>); refusing to read it.',
        );
        expect((error as FormatError).source).toBe(listPath);
      }
    });

    it('refuses weight paths in checkpoint.json that are not plain file names', async () => {
      const dir = freshDir();
      await save(dir, 1);
      const folder = await onlyFolder(dir);
      const jsonPath = join(folder, 'checkpoint.json');
      const json = JSON.parse(await fs.readFile(jsonPath, 'utf8'));
      for (const path of ['../weights.bin', '/etc/passwd', 'sub/weights.bin', '..', 'C:x']) {
        json.weightsManifest[0].paths = [path];
        await fs.writeFile(jsonPath, JSON.stringify(json));
        await expectRejects(
          loadCheckpoint(checkpointDirectory(dir)),
          FormatError,
          `checkpointDirectory: '${jsonPath}' lists the weight path '${path}', which is not a ` +
            `plain file name inside '${folder}'; refusing to read it.`,
        );
      }
      // './weights.bin' is the same file, as TensorFlow.js downloads write it.
      json.weightsManifest[0].paths = ['./weights.bin'];
      await fs.writeFile(jsonPath, JSON.stringify(json));
      expect(await loaded(dir)).toEqual([1, [1.5, 2, 2.5]]);
    });

    it('rejects a weights.bin of the wrong length, naming both files', async () => {
      const dir = freshDir();
      await save(dir, 1);
      const folder = await onlyFolder(dir);
      await fs.truncate(join(folder, 'weights.bin'), 8);
      // The manifest describes 3 float32 values, 12 bytes.
      await expectRejects(
        loadCheckpoint(checkpointDirectory(dir)),
        FormatError,
        `checkpointDirectory: '${join(folder, 'weights.bin')}' holds 8 bytes, but ` +
          `'${join(folder, 'checkpoint.json')}' describes 12; the checkpoint is corrupt.`,
      );
    });

    it('verifies the manifest, with the folder as the error source', async () => {
      const dir = freshDir();
      await save(dir, 1);
      const jsonPath = join(await onlyFolder(dir), 'checkpoint.json');
      const json = JSON.parse(await fs.readFile(jsonPath, 'utf8'));
      // [4] float32 needs 16 bytes; the file and manifest say 12.
      json.modelTopology.weights[0].shape = [4];
      await fs.writeFile(jsonPath, JSON.stringify(json));
      const error = await expectRejects(
        loadCheckpoint(checkpointDirectory(dir)),
        FormatError,
        "loadCheckpoint: weight 'generator/w' needs 16 bytes for shape [4] (float32), got 12.",
      );
      expect((error as FormatError).source).toBe(dir);
    });

    it('names the file that is missing, not JSON, or not a checkpoint', async () => {
      const dir = freshDir();
      await expectRejects(
        loadCheckpoint(checkpointDirectory(dir)),
        Error,
        `checkpointDirectory: '${dir}' holds no checkpoint yet ('${join(dir, 'latest.json')}' ` +
          'does not exist).',
      );
      expect(await checkpointDirectory(dir).list()).toEqual([]);
      await save(dir, 1);
      const folder = await onlyFolder(dir);
      const jsonPath = join(folder, 'checkpoint.json');
      await fs.writeFile(jsonPath, '{"modelTopology": ');
      await expectRejects(
        loadCheckpoint(checkpointDirectory(dir)),
        FormatError,
        `checkpointDirectory: '${jsonPath}' is not valid JSON.`,
      );
      await fs.writeFile(jsonPath, '{"modelTopology": {}}');
      await expectRejects(
        loadCheckpoint(checkpointDirectory(dir)),
        FormatError,
        `checkpointDirectory: '${jsonPath}' must hold a modelTopology object (the manifest) and ` +
          'a weightsManifest with one group of one path; it is not a tfjs-gan checkpoint.',
      );
      await fs.rm(jsonPath);
      await expectRejects(
        loadCheckpoint(checkpointDirectory(dir)),
        Error,
        `checkpointDirectory: cannot read '${jsonPath}': no such file.`,
      );
      await fs.writeFile(join(dir, 'latest.json'), '{"checkpoints": "ckpt-1-00000000"}');
      await expectRejects(
        loadCheckpoint(checkpointDirectory(dir)),
        FormatError,
        `checkpointDirectory: '${join(dir, 'latest.json')}' must hold { format: ` +
          "'tfjs-gan-checkpoint-list', checkpoints: [folder names] }; it is corrupt.",
      );
    });

    it('names the retained checkpoints when asked for another', async () => {
      const dir = freshDir();
      await save(dir, 1);
      const [{ name }] = await checkpointDirectory(dir).list();
      await expectRejects(
        checkpointDirectory(dir).load('ckpt-9-00000000'),
        Error,
        `checkpointDirectory: '${dir}' retains no checkpoint named 'ckpt-9-00000000'; it ` +
          `retains '${name}'.`,
      );
    });
  });

  it('serves a checkpoint folder that loads through the TensorFlow.js http handler', async () => {
    const dir = freshDir();
    await save(dir, 6);
    const folder = await onlyFolder(dir);
    const server = createServer(async (request, response) => {
      // Serve only the two files of this one folder.
      const file = basename(new URL(request.url!, 'http://x').pathname);
      if (!['checkpoint.json', 'weights.bin'].includes(file)) return response.writeHead(404).end();
      response.end(await fs.readFile(join(folder, file)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const store = tfjsIOStore(`http://127.0.0.1:${port}/ckpt/checkpoint.json`);
      const { step, groups } = await loadCheckpoint(store);
      expect(step).toBe(6);
      expect(Array.from(await groups.generator[0].tensor.data())).toEqual([6.5, 7, 7.5]);
      dispose(groups);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('checks its arguments', async () => {
    expectThrows(
      () => checkpointDirectory('' as string),
      TypeError,
      "checkpointDirectory: dir must be a non-empty string, got ''.",
    );
    expectThrows(
      () => checkpointDirectory('x', { keep: 0 }),
      RangeError,
      'checkpointDirectory: keep must be an integer >= 1, got 0.',
    );
    expectThrows(
      () => checkpointDirectory('x', { every: 3 } as never),
      RangeError,
      "checkpointDirectory: option 'every' is not supported; the supported options are 'keep'.",
    );
    const dir = freshDir();
    await save(dir, 1);
    const store = checkpointDirectory(dir);
    const { manifest, weightData } = await store.load();
    // Artifacts that disagree are refused before anything is written: 12 bytes described.
    await expectRejects(
      store.save({ manifest, weightData: weightData.slice(0, 4) }),
      FormatError,
      'checkpointDirectory.save: the manifest describes 12 bytes of weight data, got 4.',
    );
    expect((await store.list()).length).toBe(1);
  });
});
