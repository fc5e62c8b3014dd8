/**
 * Atomic file replacement for the Node helpers: write a temporary file in the target's
 * folder, flush it to disk, then rename it over the target, so readers see the old file or the
 * new one and never a partial one.
 *
 * @module
 * @internal
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Marks temporary files, so a crashed write can be recognised and removed. */
export const TEMP_SUFFIX = '.tmp-tfjs-gan';

/**
 * Writes `data` to `path` atomically, creating the folder if needed.
 *
 * @param path - the file to create or replace.
 * @param data - its new contents.
 * @throws the file system's error if the folder cannot be made or the file cannot be written;
 *   the temporary file is removed first.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  // Same folder as the target, so the rename never crosses file systems.
  const temp = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
