import * as tf from '@tensorflow/tfjs';

import { checkInteger, describeValue } from '../errors';

/**
 * One stage of a {@link ProgressiveSchedule}: how many steps fade its new block in, then how
 * many train it at `α = 1`.
 *
 * @category Training
 */
export interface ProgressiveStage {
  /**
   * The stage's image side, as a check: stage `i` must say `4·2^i`. @defaultValue not checked
   */
  resolution?: number;
  /** Steps over which `α` goes from 0 to 1; must be 0 at 4×4. @defaultValue 0 */
  fadeSteps?: number;
  /** Steps at `α = 1` after the fade. @defaultValue 0 */
  stableSteps?: number;
}

/**
 * How long each stage of a {@link ProgressiveTrainer} trains: either one
 * {@link ProgressiveStage} per stage, from 4×4 up (it may stop before the final resolution),
 * or `{ fadeSteps, stableSteps }` for every stage up to the final resolution, the 4×4 stage
 * taking `stableSteps` only. Every stage must run at least one step.
 *
 * @category Training
 */
export type ProgressiveSchedule =
  | ProgressiveStage[]
  | {
      /** Fade steps of every stage after the first. */
      fadeSteps: number;
      /** Stable steps of every stage, the first (4×4) included. */
      stableSteps: number;
    };

/** A checked stage of a schedule. */
export interface ResolvedStage {
  resolution: number;
  fadeSteps: number;
  stableSteps: number;
}

/** Where a step falls in a schedule. */
export interface SchedulePosition {
  /** The stage the step trains. */
  stage: number;
  /** 0-based index of the step within its stage. */
  stageStep: number;
  /** The fade weight the step trains at. */
  alpha: number;
  /** Whether the step fades the new block in or trains at `α = 1`. */
  phase: 'fade' | 'stable';
}

const STAGE_KEYS = ['resolution', 'fadeSteps', 'stableSteps'];

function resolveStage(where: string, value: unknown, index: number): ResolvedStage {
  const name = `schedule[${index}]`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(
      `${where}: ${name} must be an object with fadeSteps and stableSteps, got ` +
        `${describeValue(value)}.`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!STAGE_KEYS.includes(key)) {
      throw new RangeError(
        `${where}: ${name} has an unknown key '${key}'; the keys are 'resolution', ` +
          `'fadeSteps', 'stableSteps'.`,
      );
    }
  }
  const stage = value as ProgressiveStage;
  const resolution = 4 * 2 ** index;
  if (stage.resolution !== undefined && stage.resolution !== resolution) {
    throw new RangeError(
      `${where}: ${name}.resolution must be ${resolution} (stage ${index}), got ` +
        `${describeValue(stage.resolution)}.`,
    );
  }
  const fadeSteps = checkInteger(where, `${name}.fadeSteps`, stage.fadeSteps ?? 0, 0);
  const stableSteps = checkInteger(where, `${name}.stableSteps`, stage.stableSteps ?? 0, 0);
  if (index === 0 && fadeSteps !== 0) {
    throw new RangeError(
      `${where}: schedule[0].fadeSteps must be 0 (4×4 has nothing to fade in), got ${fadeSteps}.`,
    );
  }
  if (fadeSteps + stableSteps === 0) {
    throw new RangeError(
      `${where}: ${name} must run at least one step (fadeSteps + stableSteps >= 1), got 0.`,
    );
  }
  return { resolution, fadeSteps, stableSteps };
}

/** Checks a schedule against a model of `stages` stages and fills in the defaults. */
export function resolveSchedule(where: string, value: unknown, stages: number): ResolvedStage[] {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new RangeError(`${where}: schedule must have at least one stage, got [].`);
    }
    if (value.length > stages) {
      const last = 4 * 2 ** (stages - 1);
      throw new RangeError(
        `${where}: schedule has ${value.length} stages, but the model grows through ` +
          `${stages} (4×4 to ${last}×${last}).`,
      );
    }
    return value.map((stage, i) => resolveStage(where, stage, i));
  }
  const uniform = value as { fadeSteps?: unknown; stableSteps?: unknown } | null;
  if (uniform === null || typeof uniform !== 'object') {
    throw new TypeError(
      `${where}: schedule must be an array of stages or { fadeSteps, stableSteps }, got ` +
        `${describeValue(value)}.`,
    );
  }
  for (const key of Object.keys(uniform)) {
    if (key !== 'fadeSteps' && key !== 'stableSteps') {
      throw new RangeError(
        `${where}: schedule has an unknown key '${key}'; the keys are 'fadeSteps', 'stableSteps'.`,
      );
    }
  }
  const fadeSteps = checkInteger(where, 'schedule.fadeSteps', uniform.fadeSteps, 0);
  const stableSteps = checkInteger(where, 'schedule.stableSteps', uniform.stableSteps, 1);
  return Array.from({ length: stages }, (_, i) => ({
    resolution: 4 * 2 ** i,
    fadeSteps: i === 0 ? 0 : fadeSteps,
    stableSteps,
  }));
}

/** Steps in the whole schedule. */
export function totalSteps(schedule: readonly ResolvedStage[]): number {
  return schedule.reduce((sum, s) => sum + s.fadeSteps + s.stableSteps, 0);
}

/**
 * The stage, step within it, `α` and phase of step `step` (0-based over the whole schedule).
 * Step `j` of a fade of `F` steps trains at `α = (j + 1) / F`, so `α` rises linearly from 0
 * (at the growth) and the fade's last step trains at exactly 1.
 */
export function positionAt(schedule: readonly ResolvedStage[], step: number): SchedulePosition {
  let start = 0;
  for (let stage = 0; stage < schedule.length; stage++) {
    const { fadeSteps, stableSteps } = schedule[stage];
    const stageStep = step - start;
    if (stageStep < fadeSteps + stableSteps) {
      const fading = stageStep < fadeSteps;
      const alpha = fading ? (stageStep + 1) / fadeSteps : 1;
      return { stage, stageStep, alpha, phase: fading ? 'fade' : 'stable' };
    }
    start += fadeSteps + stableSteps;
  }
  throw new RangeError(
    `positionAt: the schedule has ${start} steps; step ${step} is past its end.`,
  );
}

/**
 * Real images at a stage's resolution: average-pooled from the full resolution, and during a
 * fade mixed with their own 2× coarser version as the generator's output is,
 * `(1 − α)·upsample(avgPool(x)) + α·x` (as the paper's code does). Returns a new tensor.
 */
export function stageReals(real: tf.Tensor, resolution: number, alpha: number, fade: boolean) {
  return tf.tidy(() => {
    const x = real as tf.Tensor4D;
    const factor = x.shape[1] / resolution;
    const pooled = factor === 1 ? tf.clone(x) : tf.avgPool(x, factor, factor, 'valid');
    if (!fade || alpha === 1) return pooled;
    const coarse = tf.avgPool(pooled, 2, 2, 'valid');
    const up = tf.image.resizeNearestNeighbor(coarse, [resolution, resolution]);
    return tf.add(tf.mul(up, 1 - alpha), tf.mul(pooled, alpha));
  });
}
