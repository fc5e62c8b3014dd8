import { describeValue, FormatError } from '../errors';
import type { CheckpointArtifacts, CheckpointStore } from '../io/checkpoint';
import type { JsonValue } from '../io/checkpoint-manifest';
import type { RandomStreamState } from '../random';
import type { ResolvedStage } from './progressive-schedule';

/** What a ProgressiveTrainer adds to its stage Trainer's checkpoint, under `state.progressive`. */
export interface ProgressState {
  /** The stage the checkpoint's networks are at. */
  stage: number;
  /** Steps completed over the whole schedule. */
  step: number;
  /** The fade weight of the last step (1 at stage 0). */
  alpha: number;
  /** The schedule and real-image mixing, which a resume must match. */
  config: { schedule: ResolvedStage[]; fadeReals: boolean };
  /** The stream that shuffles a tensor of samples in `fit`. */
  random: RandomStreamState;
}

/** Wraps `store` so that each checkpoint saved through it also holds `progress`. */
export function withProgress(store: CheckpointStore, progress: ProgressState): CheckpointStore {
  return {
    location: store.location,
    save: (artifacts: CheckpointArtifacts) =>
      store.save({
        manifest: {
          ...artifacts.manifest,
          state: {
            ...artifacts.manifest.state,
            progressive: progress as unknown as { [key: string]: JsonValue },
          },
        },
        weightData: artifacts.weightData,
      }),
    load: () => store.load(),
  };
}

/** A store that hands back artifacts already read, so a checkpoint is read once. */
export function readStore(location: string, artifacts: CheckpointArtifacts): CheckpointStore {
  return {
    location,
    save: () => Promise.reject(new Error('a read-only store')),
    load: () => Promise.resolve(artifacts),
  };
}

const where = 'ProgressiveTrainer.loadCheckpoint';
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Reads and checks `state.progressive` of an unverified manifest: that it is there, that its
 * schedule and `fadeReals` match, and that its stage and steps agree with the schedule and
 * with the stage Trainer's step count. Throws FormatError naming the first thing wrong.
 */
export function readProgress(
  source: string,
  manifest: unknown,
  config: ProgressState['config'],
  stageStart: (stage: number) => number,
): ProgressState {
  const fail = (message: string): never => {
    throw new FormatError(source, `${where}: ${message}`);
  };
  const m = (manifest ?? {}) as { state?: { progressive?: unknown }; step?: unknown };
  const p = m.state?.progressive as Partial<ProgressState> | undefined;
  if (p === null || typeof p !== 'object') {
    fail(
      'the checkpoint has no progressive state (state.progressive); it was not saved by a ' +
        'ProgressiveTrainer.',
    );
  }
  const progress = p as ProgressState;
  const expected = JSON.stringify(config);
  const got = JSON.stringify(progress.config);
  if (expected !== got) {
    fail(`the schedule does not match this trainer: expected ${expected}, got ${got}.`);
  }
  const { stage, step, alpha, random } = progress;
  if (!isCount(stage) || stage >= config.schedule.length) {
    fail(
      `state.progressive.stage must be an integer from 0 to ${config.schedule.length - 1}, ` +
        `got ${describeValue(stage)}.`,
    );
  }
  const { fadeSteps, stableSteps } = config.schedule[stage];
  const stageStep = (m.step as number) ?? NaN;
  const consistent =
    isCount(step) &&
    isCount(stageStep) &&
    stageStep <= fadeSteps + stableSteps &&
    step === stageStart(stage) + stageStep;
  if (!consistent) {
    fail(
      `state.progressive.step (${describeValue(step)}) must be the steps before stage ` +
        `${stage} (${stageStart(stage)}) plus the checkpoint's step within it ` +
        `(${describeValue(m.step)}), at most ${fadeSteps + stableSteps}.`,
    );
  }
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
    fail(`state.progressive.alpha must be a number in [0, 1], got ${describeValue(alpha)}.`);
  }
  if (random === null || typeof random !== 'object') {
    fail(`state.progressive.random must be a random stream state, got ${describeValue(random)}.`);
  }
  return progress;
}
