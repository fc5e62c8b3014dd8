import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { checkInteger, checkOptions, describeValue } from '../errors';
import type { CheckpointArtifacts, CheckpointStore } from '../io/checkpoint';
import { verifyManifest } from '../io/checkpoint-manifest';
import { checkpointToModelArtifacts } from '../io/checkpoint-tfjs';
import { TEMP_SUFFIX, writeFileAtomic } from './atomic';
import {
  FOLDER_PATTERN,
  LIST_FILE,
  listJson,
  MANIFEST_FILE,
  readFolder,
  readList,
  syncFolder,
  TEMP_PREFIX,
  WEIGHTS_FILE,
  writeDurable,
} from './checkpoint-files';

/**
 * Options of {@link checkpointDirectory}.
 *
 * @category Node
 */
export interface CheckpointDirectoryOptions {
  /**
   * How many checkpoints to keep, newest first; older ones are removed after each save.
   *
   * @defaultValue 2
   */
  keep?: number;
}

/**
 * One retained checkpoint of a {@link CheckpointDirectory}.
 *
 * @category Node
 */
export interface CheckpointEntry {
  /** The folder name, `ckpt-<step>-<8 hex digits>`. */
  name: string;
  /** The step it was taken at. */
  step: number;
  /** The folder's path: `dir` joined with `name`. */
  path: string;
}

/**
 * A {@link CheckpointStore} in a folder, with the retained checkpoints listed and loadable.
 *
 * @category Node
 */
export interface CheckpointDirectory extends CheckpointStore {
  /** Saves a checkpoint as a new folder, then makes it the latest, then prunes. */
  save(artifacts: CheckpointArtifacts): Promise<void>;
  /**
   * Reads the latest checkpoint, or the retained one called `name` (see {@link list}).
   *
   * @throws Error when there is no checkpoint yet or no retained one called `name`.
   */
  load(name?: string): Promise<CheckpointArtifacts>;
  /** The retained checkpoints, newest first; `[]` before the first save. */
  list(): Promise<CheckpointEntry[]>;
}

const WHERE = 'checkpointDirectory';

/**
 * A checkpoint store in a folder on disk, written with plain Node file calls (no native
 * binary), safe against crashes at any point of a save.
 *
 * @param dir - the folder, created on the first save; absolute or relative to the working
 *   folder.
 * @param options - see {@link CheckpointDirectoryOptions}.
 * @returns the store; pass it to `saveCheckpoint` and `loadCheckpoint` from `tfjs-gan`.
 * @throws TypeError when `dir` is not a non-empty string or an option has the wrong type;
 *   RangeError when `keep` is below 1 or an option is unknown.
 * @remarks
 * Each save writes `checkpoint.json` (the manifest, in the layout of a TensorFlow.js
 * `model.json`) and `weights.bin` into a new folder `dir/.tmp-ckpt-…`, flushes both files
 * and the folder to disk, renames it to `dir/ckpt-<step>-<id>`, and only then replaces
 * `dir/latest.json` (the retained folder names, newest first) by writing a temporary file
 * and renaming it over the old one. A crash at any point leaves `latest.json` naming complete
 * checkpoints only; leftovers of an interrupted save are never read, and the next save
 * removes them together with checkpoints beyond `keep`. Removal is best effort: a folder
 * that cannot be removed stays until a later save succeeds in removing it.
 *
 * On load, folder names in `latest.json` must have the form `ckpt-<step>-<id>` and the
 * weight path in `checkpoint.json` must be a plain file name, so neither can point outside
 * `dir`; `weights.bin` must hold the byte count the manifest states, and `loadCheckpoint`
 * then verifies the whole manifest. One writer per folder: two processes saving into the
 * same folder at once may remove each other's checkpoints.
 *
 * A checkpoint folder can also be served over HTTP and loaded in a browser with
 * `tfjsIOStore('https://…/ckpt-<step>-<id>/checkpoint.json')`.
 * @example
 * ```ts
 * import { loadCheckpoint, saveCheckpoint } from 'tfjs-gan';
 * import { checkpointDirectory } from 'tfjs-gan/node';
 * const store = checkpointDirectory('runs/mnist/checkpoints', { keep: 3 });
 * await saveCheckpoint(store, { step: 500, config: {}, random: null, groups: {} });
 * const { step } = await loadCheckpoint(store); // 500
 * ```
 * @category Node
 */
export function checkpointDirectory(
  dir: string,
  options: CheckpointDirectoryOptions = {},
): CheckpointDirectory {
  if (typeof dir !== 'string' || dir === '') {
    throw new TypeError(`${WHERE}: dir must be a non-empty string, got ${describeValue(dir)}.`);
  }
  checkOptions(WHERE, options, ['keep']);
  const keep = checkInteger(WHERE, 'keep', options.keep ?? 2, 1);
  // Saves run one at a time, so each one reads the list the previous one wrote.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    location: dir,
    save(artifacts) {
      const run = queue.then(() => saveNow(dir, keep, artifacts));
      queue = run.catch(() => undefined);
      return run;
    },
    async load(name) {
      const names = await readList(dir);
      if (names.length === 0) {
        throw new Error(
          `${WHERE}: ${describeValue(dir)} holds no checkpoint yet ` +
            `(${describeValue(join(dir, LIST_FILE))} does not exist).`,
        );
      }
      if (name !== undefined && !names.includes(name)) {
        throw new Error(
          `${WHERE}: ${describeValue(dir)} retains no checkpoint named ${describeValue(name)}; ` +
            `it retains ${names.map((n) => describeValue(n)).join(', ')}.`,
        );
      }
      return readFolder(join(dir, name ?? names[0]));
    },
    async list() {
      const names = await readList(dir);
      return names.map((name) => ({
        name,
        step: Number(FOLDER_PATTERN.exec(name)![1]),
        path: join(dir, name),
      }));
    },
  };
}

async function saveNow(dir: string, keep: number, artifacts: CheckpointArtifacts): Promise<void> {
  const { manifest, weightData } = artifacts;
  verifyManifest(`${WHERE}.save`, dir, manifest, weightData?.byteLength);
  await mkdir(dir, { recursive: true });
  // Read first: a corrupt list stops the save before anything is written or removed.
  const previous = await readList(dir);
  const name = `ckpt-${manifest.step}-${randomBytes(4).toString('hex')}`;
  const temp = join(dir, `${TEMP_PREFIX}${name.slice('ckpt-'.length)}`);
  const folder = join(dir, name);
  try {
    await mkdir(temp);
    await writeFolder(temp, artifacts);
    await rename(temp, folder);
    await syncFolder(dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  const names = [name, ...previous].slice(0, keep);
  try {
    await writeFileAtomic(join(dir, LIST_FILE), listJson(names));
  } catch (error) {
    // The list still names the previous checkpoints only; the new folder is unreachable.
    await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(dir);
  await prune(dir, names);
}

async function writeFolder(temp: string, artifacts: CheckpointArtifacts): Promise<void> {
  const model = checkpointToModelArtifacts(artifacts);
  const json = {
    format: model.format,
    generatedBy: model.generatedBy,
    convertedBy: model.convertedBy,
    modelTopology: model.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: model.weightSpecs }],
  };
  await writeDurable(join(temp, WEIGHTS_FILE), new Uint8Array(artifacts.weightData));
  await writeDurable(join(temp, MANIFEST_FILE), new TextEncoder().encode(JSON.stringify(json)));
  await syncFolder(temp);
}

/** Removes checkpoints not in `names` and leftovers of interrupted saves; never throws. */
async function prune(dir: string, names: readonly string[]): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const stale = entries.filter(
    (entry) =>
      (FOLDER_PATTERN.test(entry) && !names.includes(entry)) ||
      entry.startsWith(TEMP_PREFIX) ||
      (entry.startsWith(`.${LIST_FILE}.`) && entry.endsWith(TEMP_SUFFIX)),
  );
  await Promise.all(
    stale.map((entry) => rm(join(dir, entry), { recursive: true, force: true }).catch(() => {})),
  );
}
