import * as tf from '@tensorflow/tfjs';

import { checkBoolean, checkOptions, describeValue } from '../errors';
import type { CheckpointStore } from '../io/checkpoint';
import { ProgressiveGAN } from '../models/progressive-gan';
import { RandomStream } from '../random';
import { runFit } from './fit';
import {
  readProgress,
  readStore,
  withProgress,
  type ProgressState,
} from './progressive-checkpoint';
import {
  positionAt,
  resolveSchedule,
  stageReals,
  totalSteps,
  type ProgressiveStage,
} from './progressive-schedule';
import type {
  ProgressiveFitOptions,
  ProgressiveFitSummary,
  ProgressiveStepResult,
  ProgressiveTrainerOptions,
} from './progressive-types';
import { checkFullBatches, OPTION_KEYS, stageTrainer } from './progressive-stage';
import type { Trainer } from './trainer';
import type { FitData } from './types';

const WHERE = 'ProgressiveTrainer';

/**
 * Trains a {@link ProgressiveGAN} through a schedule of stages: a {@link Trainer} per stage
 * on that stage's networks, `α` set before every step, the networks grown at the first step
 * of each new stage, and the real images average-pooled to the stage's resolution.
 *
 * Feed it full-resolution real batches `[batch, size, size, channels]` in [-1, 1], through
 * {@link ProgressiveTrainer.step} or {@link ProgressiveTrainer.fit} (which takes every data
 * form {@link Trainer.fit} does and runs the rest of the schedule). Within a fade of `F`
 * steps, step `j` (0-based) trains at `α = (j + 1) / F`.
 *
 * @remarks Each stage's Trainer starts with fresh optimisers (its networks have new
 * variables; Adam's moments of the old ones are dropped), a fresh moving average when
 * `emaDecay` is set (from the current weights), and its own step counter, which
 * `instanceNoise` schedules and loss terms' `every` count from. Checkpoints hold the stage
 * Trainer's checkpoint plus the stage, the global step, `α`, the schedule and the shuffling
 * stream, so a resume continues inside a stage or at a stage boundary.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ProgressiveGAN, ProgressiveTrainer } from 'tfjs-gan';
 * const gan = new ProgressiveGAN({ imageShape: [8, 8, 1], latentDim: 8, baseFilters: 4, seed: 1 });
 * const trainer = new ProgressiveTrainer({
 *   gan, schedule: { fadeSteps: 2, stableSteps: 2 }, seed: 1,
 * });
 * const images = tf.randomUniform([32, 8, 8, 1], -1, 1);
 * await trainer.fit(images, { batchSize: 8 }); // 2 steps at 4×4, then 2 + 2 at 8×8
 * const samples = trainer.sample(4); // [4, 8, 8, 1]
 * tf.dispose([images, samples]); trainer.dispose(); gan.dispose();
 * ```
 * @category Training
 */
export class ProgressiveTrainer {
  /** The networks being grown. */
  readonly gan: ProgressiveGAN;
  /** The checked schedule, one entry per stage. */
  readonly schedule: readonly Readonly<Required<ProgressiveStage>>[];
  private readonly options: Omit<ProgressiveTrainerOptions, 'gan' | 'schedule'>;
  private readonly seed: number | string;
  private readonly fadeReals: boolean;
  private current: Trainer;
  private ownedOptimizers: tf.Optimizer[] = [];
  private random: RandomStream;
  private completed = 0;
  private stageIndex = 0;
  private busy = false;

  /**
   * @param options - see {@link ProgressiveTrainerOptions}.
   * @throws TypeError or RangeError for a bad option or schedule (with the stage named), a
   * `gan` that is not a {@link ProgressiveGAN} at stage 0, or `replay` (its pool would hold
   * fakes of one resolution); the Trainer's own errors for its options.
   */
  constructor(options: ProgressiveTrainerOptions) {
    if (options !== null && typeof options === 'object' && 'replay' in options) {
      throw new RangeError(
        `${WHERE}: replay is not supported: its pool holds fakes of one resolution, and the ` +
          'resolution changes at every stage.',
      );
    }
    checkOptions(WHERE, options, OPTION_KEYS);
    const { gan, schedule, ...rest } = options;
    if (!(gan instanceof ProgressiveGAN)) {
      throw new TypeError(`${WHERE}: gan must be a ProgressiveGAN, got ${describeValue(gan)}.`);
    }
    if (gan.stage !== 0) {
      throw new RangeError(
        `${WHERE}: gan must be at stage 0 (4×4), got stage ${gan.stage} ` +
          `(${gan.resolution}×${gan.resolution}); the trainer grows it from the start.`,
      );
    }
    this.gan = gan;
    this.schedule = resolveSchedule(WHERE, schedule, gan.stages);
    for (const key of ['generatorOptimizer', 'discriminatorOptimizer'] as const) {
      if (rest[key] !== undefined && typeof rest[key] !== 'function') {
        throw new TypeError(
          `${WHERE}: ${key} must be a function that returns a new tf.Optimizer for each ` +
            `stage, got ${describeValue(rest[key])}.`,
        );
      }
    }
    this.fadeReals = checkBoolean(WHERE, 'fadeReals', rest.fadeReals ?? true);
    this.options = rest;
    this.seed = rest.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.random = new RandomStream(`${this.seed}:fit`);
    this.current = this.makeTrainer(0);
  }

  /** The stage being trained, 0 for 4×4. */
  get stage(): number {
    return this.stageIndex;
  }

  /** The fade weight of the last step (1 at stage 0). */
  get alpha(): number {
    return this.gan.alpha;
  }

  /** Steps run over the whole schedule. */
  get stepCount(): number {
    return this.completed;
  }

  /** Steps in the whole schedule. */
  get totalSteps(): number {
    return totalSteps(this.schedule);
  }

  /** The current stage's Trainer (replaced at every stage). */
  get trainer(): Trainer {
    return this.current;
  }

  /** Discriminator updates per step; `fit` draws this many batches a step. */
  get discriminatorSteps(): number {
    return this.current.discriminatorSteps;
  }

  /**
   * Runs the next step of the schedule: grows the networks first if the step starts a new
   * stage, sets `α`, pools the real batch to the stage's resolution and runs one
   * {@link Trainer.step} on it.
   *
   * @param real - full-resolution real images `[batch, size, size, channels]` in [-1, 1], or
   * an array of `discriminatorSteps` of them; not disposed.
   * @returns the step's numbers and its place in the schedule.
   * @throws RangeError when a batch has the wrong shape or the schedule is complete; the
   * Trainer's errors (e.g. {@link NonFiniteLossError}).
   */
  async step(real: tf.Tensor | tf.Tensor[]): Promise<ProgressiveStepResult> {
    const batches = checkFullBatches(`${WHERE}.step`, real, this.gan.options.imageShape);
    this.checkIdle(`${WHERE}.step`);
    if (this.completed >= this.totalSteps) {
      throw new RangeError(
        `${WHERE}.step: the schedule is complete (${this.totalSteps} steps); give a longer ` +
          'schedule to a new trainer to train on.',
      );
    }
    if (this.gan.stage !== this.stageIndex) {
      throw new Error(
        `${WHERE}.step: the model is at stage ${this.gan.stage} but the trainer at stage ` +
          `${this.stageIndex}; grow the model only through its trainer.`,
      );
    }
    this.busy = true;
    try {
      const position = positionAt(this.schedule, this.completed);
      if (position.stage !== this.stageIndex) this.enterStage(position.stage);
      this.gan.alpha = position.alpha;
      const resolution = this.gan.resolution;
      const fade = this.fadeReals && position.stage > 0;
      const reals = batches.map((b) => stageReals(b, resolution, position.alpha, fade));
      let result;
      try {
        result = await this.current.step(Array.isArray(real) ? reals : reals[0]);
      } finally {
        tf.dispose(reals);
      }
      this.completed++;
      return {
        ...result,
        step: this.completed,
        stage: position.stage,
        resolution,
        stageStep: position.stageStep + 1,
        alpha: position.alpha,
        phase: position.phase,
      };
    } finally {
      this.busy = false;
    }
  }

  /**
   * Runs the rest of the schedule (or `options.steps` of it) over `data`, with callbacks, an
   * abort signal and checkpoints, as {@link Trainer.fit} does.
   *
   * @param data - full-resolution real images in any form {@link Trainer.fit} takes.
   * @param options - see {@link ProgressiveFitOptions}.
   * @returns how many steps ran and why it stopped.
   * @throws RangeError when the schedule is complete or `steps` is more than it has left.
   */
  async fit(data: FitData, options: ProgressiveFitOptions = {}): Promise<ProgressiveFitSummary> {
    const where = `${WHERE}.fit`;
    const left = this.totalSteps - this.completed;
    if (left === 0)
      throw new RangeError(`${where}: the schedule is complete (${this.totalSteps} steps).`);
    const steps = options.steps ?? left;
    if (typeof steps === 'number' && steps > left) {
      throw new RangeError(
        `${where}: steps must be at most the ${left} steps left in the schedule, got ${steps}.`,
      );
    }
    const { onStepEnd, onStageEnd, ...rest } = options;
    return runFit(
      this,
      data,
      {
        ...rest,
        steps,
        onStepEnd: async (result) => {
          const r = result as ProgressiveStepResult;
          await onStepEnd?.(r);
          const { fadeSteps, stableSteps } = this.schedule[r.stage];
          if (r.stageStep === fadeSteps + stableSteps) {
            await onStageEnd?.({ stage: r.stage, resolution: r.resolution, step: r.step });
          }
        },
      },
      this.random,
      where,
    ) as Promise<ProgressiveFitSummary>;
  }

  /**
   * Draws samples from the current stage's generator at its resolution and current `α`, in
   * inference mode, as {@link Trainer.sample} does.
   *
   * @param count - how many samples, an integer >= 1.
   * @param seed - seed of the latents; omit to continue the stage Trainer's sampling stream.
   * @returns `[count, r, r, channels]`, owned by the caller.
   */
  sample(count: number, seed?: number): tf.Tensor {
    return this.current.sample(count, seed);
  }

  /**
   * Saves the stage Trainer's checkpoint (networks, optimisers, EMA, random streams, step)
   * with the progressive state: stage, global step, `α`, schedule and shuffling stream.
   *
   * @param store - where to write, e.g. `checkpointDirectory(dir)` from `tfjs-gan/node`.
   * @throws Error when a step is running; the checkpoint's own errors.
   */
  async saveCheckpoint(store: CheckpointStore): Promise<void> {
    this.checkIdle(`${WHERE}.saveCheckpoint`);
    await this.current.saveCheckpoint(withProgress(store, this.progress()));
  }

  /**
   * Restores a checkpoint of {@link ProgressiveTrainer.saveCheckpoint}: grows the networks to
   * its stage, then restores the stage Trainer. Build the trainer as the saved one was (same
   * model options and seed, same schedule and Trainer options), on a new
   * {@link ProgressiveGAN}.
   *
   * @param store - where to read from.
   * @returns the global step the checkpoint was taken at, now {@link ProgressiveTrainer.stepCount}.
   * @throws {@link FormatError} when the checkpoint has no progressive state, another
   * schedule, or does not fit the stage's networks (the networks may have grown by then).
   * @throws Error when this trainer has grown past the checkpoint's stage.
   */
  async loadCheckpoint(store: CheckpointStore): Promise<number> {
    this.checkIdle(`${WHERE}.loadCheckpoint`);
    if (typeof store?.load !== 'function' || typeof store?.save !== 'function') {
      throw new TypeError(
        `${WHERE}.loadCheckpoint: store must be a CheckpointStore with save and load, got ` +
          `${describeValue(store)}.`,
      );
    }
    const artifacts = await store.load();
    const start = (stage: number) => totalSteps(this.schedule.slice(0, stage));
    const progress = readProgress(store.location, artifacts.manifest, this.config(), start);
    const random = RandomStream.fromState(progress.random);
    if (progress.stage < this.stageIndex) {
      throw new Error(
        `${WHERE}.loadCheckpoint: the checkpoint is at stage ${progress.stage}, but this ` +
          `trainer has grown to stage ${this.stageIndex}; load it into a new trainer.`,
      );
    }
    if (progress.stage > this.stageIndex) this.enterStage(progress.stage);
    await this.current.loadCheckpoint(readStore(store.location, artifacts));
    this.completed = progress.step;
    this.random = random;
    this.gan.alpha = progress.alpha;
    return progress.step;
  }

  /** Frees the stage Trainer and the optimisers made for it; the model stays the caller's. */
  dispose(): void {
    this.current.dispose();
    for (const optimizer of this.ownedOptimizers.splice(0)) optimizer.dispose();
  }

  private config(): ProgressState['config'] {
    return { schedule: this.schedule.map((s) => ({ ...s })), fadeReals: this.fadeReals };
  }

  private progress(): ProgressState {
    return {
      stage: this.stageIndex,
      step: this.completed,
      alpha: this.gan.alpha,
      config: this.config(),
      random: this.random.state(),
    };
  }

  private enterStage(stage: number): void {
    this.dispose();
    while (this.gan.stage < stage) this.gan.grow();
    this.stageIndex = stage;
    this.current = this.makeTrainer(stage);
  }

  private makeTrainer(stage: number): Trainer {
    const seed = `${this.seed}:stage${stage}`;
    return stageTrainer(WHERE, this.gan, this.options, seed, this.ownedOptimizers);
  }

  private checkIdle(where: string): void {
    if (this.busy) throw new Error(`${where}: a step is running; await it first.`);
  }
}
