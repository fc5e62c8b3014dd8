import * as tf from '@tensorflow/tfjs';

import { checkInteger, describeValue, FormatError } from '../errors';
import type { TrainingWarning } from '../hacks/diagnostics';
import { loadCheckpoint, saveCheckpoint, type CheckpointStore } from '../io/checkpoint';
import { installTrainingKernels } from '../kernels/install';
import type { AdversarialLoss } from '../losses/types';
import { RandomStream, type RandomStreamState } from '../random';
import { checkpointContents, restoreContents, type TrainerState } from './checkpointing';
import { VariableAverage } from './ema';
import { configurationWarnings } from './configuration-warnings';
import { EventRegistry, type TrainerEventHandler, type TrainerEvents } from './events';
import { runFit } from './fit';
import { drawLabels, generate } from './conditioning';
import { checkLabelRange, checkStepLabels, labelSeedOf, sampleLabels } from './labels';
import type { NetworkFunction } from './network';
import { resolveOptions, type TrainingSetup } from './options';
import { discriminatorPhase, generatorPhase, type FakeInputs, type PhaseInput } from './phases';
import type {
  FitData,
  FitOptions,
  FitSummary,
  SampleOptions,
  StepResult,
  TrainerOptions,
} from './types';

function defaultOptimizer(): tf.Optimizer {
  return tf.train.adam(2e-4, 0.5);
}

/**
 * Trains a generator against a discriminator, one step at a time, from any host: a script,
 * a server's request handler, a worker, a page's animation loop.
 *
 * One {@link Trainer.step} draws a latent batch `z`, updates the discriminator once on the
 * real batch and on `G(z)` (real and fake pass through it as separate batches, so batch
 * normalisation never mixes them), then updates the generator once through the updated
 * discriminator, and resolves to plain numbers. Every tensor a step makes is disposed
 * before it resolves.
 *
 * A class-conditional trainer (see {@link TrainerOptions.classes}) takes the real batch's
 * labels in `step(real, labels)`, draws the fakes' labels uniformly with its seeded stream,
 * and samples chosen classes with `sample(n, { labels })`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { DCGAN, Trainer } from 'tfjs-gan';
 * const gan = new DCGAN({ imageShape: [28, 28, 1], baseFilters: 8, seed: 1 });
 * const trainer = new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 1 });
 * const real = tf.randomUniform([8, 28, 28, 1], -1, 1);
 * const { step, discriminatorLoss, generatorLoss } = await trainer.step(real);
 * const samples = trainer.sample(4); // [4, 28, 28, 1] in [-1, 1]
 * samples.dispose(); real.dispose(); trainer.dispose(); gan.dispose();
 * ```
 * @category Training
 */
export class Trainer {
  /** The generator being trained, as given. */
  readonly generator: tf.LayersModel | NetworkFunction;
  /** The discriminator being trained, as given. */
  readonly discriminator: tf.LayersModel | NetworkFunction;
  /** The loss pair in use. */
  readonly loss: AdversarialLoss;
  /** Length of the latent vectors. */
  readonly latentDim: number;
  /**
   * Problems with the options themselves, found when the trainer was built: a
   * `'penalty-with-batch-norm'` warning when an input-gradient penalty (gradient penalty,
   * DRAGAN, R1, R2) meets a discriminator with batch normalisation. Each is also delivered
   * once, in the first step's {@link StepResult.warnings}, and so to `fit`'s `onWarning` and
   * the `'warning'` event.
   */
  readonly configurationWarnings: readonly TrainingWarning[];
  private readonly undeliveredWarnings: TrainingWarning[];
  private readonly setup: TrainingSetup;
  private readonly generatorOptimizer: tf.Optimizer;
  private readonly discriminatorOptimizer: tf.Optimizer;
  private readonly ownedOptimizers: tf.Optimizer[] = [];
  private random: RandomStream;
  private sampleRandom: RandomStream;
  private readonly events = new EventRegistry();
  private readonly average?: VariableAverage;
  private completedSteps = 0;
  private busy = false;

  /**
   * @param options - see {@link TrainerOptions}.
   * @throws TypeError when `generator` or `discriminator` is not a `tf.LayersModel`, or an
   * option has the wrong type; RangeError when an option is out of range (e.g. `labelTricks`
   * with a loss that is not a cross-entropy).
   */
  constructor(options: TrainerOptions) {
    this.setup = resolveOptions(options);
    this.generator = options.generator;
    this.discriminator = options.discriminator;
    this.loss = this.setup.loss;
    this.latentDim = this.setup.latentDim;
    this.configurationWarnings = configurationWarnings(
      options.discriminator,
      this.setup.discriminatorTerms,
    );
    this.undeliveredWarnings = [...this.configurationWarnings];
    this.generatorOptimizer = options.generatorOptimizer ?? this.own(defaultOptimizer());
    this.discriminatorOptimizer = options.discriminatorOptimizer ?? this.own(defaultOptimizer());
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.random = new RandomStream(seed);
    this.sampleRandom = new RandomStream(`${seed}:sample`);
    if (this.setup.emaDecay !== undefined) {
      this.average = new VariableAverage(this.setup.generator.variables(), this.setup.emaDecay);
    }
  }

  /**
   * Registers a handler for one of the trainer's events: `'update'` after every network
   * update, `'stepEnd'` after every step, `'warning'` for every warning in a step's result.
   * Handlers run in order and may be async; the step awaits them.
   *
   * @param event - the event's name.
   * @param handler - receives the event's payload, see {@link TrainerEvents}.
   * @returns a function that removes the handler.
   */
  on<E extends keyof TrainerEvents>(event: E, handler: TrainerEventHandler<E>): () => void {
    if (!['update', 'stepEnd', 'warning'].includes(event)) {
      throw new RangeError(
        `Trainer.on: event must be one of 'update', 'stepEnd', 'warning', got ${describeValue(event)}.`,
      );
    }
    if (typeof handler !== 'function') {
      throw new TypeError(`Trainer.on: handler must be a function, got ${describeValue(handler)}.`);
    }
    return this.events.on(event, handler);
  }

  /** Discriminator updates per {@link Trainer.step}; `fit` draws this many batches a step. */
  get discriminatorSteps(): number {
    return this.setup.discriminatorSteps;
  }

  /** Number of classes of a class-conditional trainer, or `null` for an unconditional one. */
  get classes(): number | null {
    return this.setup.conditioning?.classes ?? null;
  }

  /** How many steps this trainer has run. */
  get stepCount(): number {
    return this.completedSteps;
  }

  /**
   * Runs one training iteration on real samples: `discriminatorSteps` discriminator updates,
   * then one generator update.
   *
   * @param real - real samples `[batch, ...discriminator input shape]`, e.g. `[64, 28, 28, 1]`
   * in [-1, 1], or an array of `discriminatorSteps` such batches, one per discriminator
   * update (a single batch serves every update); not disposed.
   * @param labels - for a class-conditional trainer (and only then), the real batch's class
   * indices, int32 `[batch]` in `[0, classes)`, or an array of them matching `real`; not
   * disposed. The fakes' labels are drawn uniformly from `[0, classes)` with the trainer's
   * seeded stream.
   * @returns the step's losses and diagnostics as plain numbers; with several discriminator
   * updates, the discriminator's numbers are those of the last one.
   * @throws RangeError when a batch does not fit the discriminator's input, or an array has
   * the wrong length; TypeError when labels are missing for a conditional trainer, given to an
   * unconditional one, or not int32 `[batch]`; RangeError when a label is not a class.
   * @throws {@link NonFiniteLossError} when a loss is NaN or infinite; the network whose loss
   * it was is left unchanged by that update.
   */
  async step(real: tf.Tensor | tf.Tensor[], labels?: tf.Tensor | tf.Tensor[]): Promise<StepResult> {
    const batches = this.checkBatches(real);
    const labelBatches = checkStepLabels(this.setup.conditioning, real, labels);
    if (this.busy) {
      throw new Error('Trainer.step: a step is already running; await it before the next.');
    }
    this.busy = true;
    const start = performance.now();
    try {
      await this.checkRange(batches);
      if (labelBatches) {
        await checkLabelRange('Trainer.step', labelBatches, this.setup.conditioning!.classes);
      }
      if (this.setup.trainingKernels) installTrainingKernels();
      const result = await this.iteration(batches, labelBatches, start);
      for (const warning of result.warnings) await this.events.emit('warning', warning);
      await this.events.emit('stepEnd', result);
      return result;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Loops {@link Trainer.step} over batches, for a number of epochs or steps, with callbacks
   * and an abort signal, yielding to the event loop after every step so a page stays
   * responsive.
   *
   * @param data - arrays or (async) iterables of real batches, a function returning a fresh
   * iterable per epoch, a `tf.data.Dataset` of batches, or one tensor of all samples cut into
   * shuffled batches of `options.batchSize` (see {@link FitData}). A conditional trainer
   * takes batches as `{ real, labels }`, or the one tensor with `options.labels`.
   * @param options - see {@link FitOptions}.
   * @returns how many steps and epochs ran and why it stopped.
   */
  fit(data: FitData, options: FitOptions = {}): Promise<FitSummary> {
    return runFit(this, data, options, this.random);
  }

  /**
   * Draws samples from the generator in inference mode (batch normalisation uses its moving
   * statistics and never changes them), with the averaged weights when `emaDecay` is set.
   *
   * @param count - how many samples, an integer >= 1.
   * @param options - the seed of the latents (a number), or {@link SampleOptions} with the
   * seed and, for a conditional trainer, the classes to draw. Without a seed the trainer's own
   * sampling stream continues, which is separate from the training stream so sampling never
   * changes training.
   * @returns `[count, ...sample shape]`, owned by the caller.
   * @throws TypeError or RangeError for a bad count, seed or labels; TypeError when labels
   * are given to an unconditional trainer.
   */
  sample(count: number, options?: number | SampleOptions): tf.Tensor {
    const where = 'Trainer.sample';
    checkInteger(where, 'count', count, 1);
    const { seed, labels } = typeof options === 'number' ? { seed: options } : (options ?? {});
    if (seed !== undefined) checkInteger(where, 'seed', seed, Number.MIN_SAFE_INTEGER);
    const classes = this.setup.conditioning?.classes;
    if (classes === undefined && labels !== undefined) {
      throw new TypeError(`${where}: labels were given, but this trainer is not conditional.`);
    }
    const zSeed = seed ?? this.sampleRandom.nextSeed();
    const z = this.setup.latentSampler(count, this.latentDim, zSeed);
    let y: tf.Tensor | undefined;
    try {
      if (classes !== undefined) {
        const labelSeed = seed === undefined ? this.sampleRandom.nextSeed() : labelSeedOf(seed);
        y = sampleLabels(count, classes, labels, labelSeed);
      }
      const draw = () => tf.tidy(() => generate(this.setup.generator, z, y, false));
      return this.average ? this.average.withAverages(draw) : draw();
    } finally {
      tf.dispose([z, y!].filter(Boolean));
    }
  }

  /**
   * Saves everything needed to resume: both networks' weights (batch-norm statistics
   * included), both optimisers' state (moments and iteration counters), the EMA weights,
   * both random streams, the step and the configuration. Resuming from it gives the same
   * numbers as never stopping.
   *
   * @param store - where to write: `checkpointDirectory(dir)` from `tfjs-gan/node`, or
   * `tfjsIOStore('indexeddb://name')` in a browser. Each store writes atomically.
   * @throws Error when a step is running; the checkpoint's own errors when it cannot be written.
   * @remarks The experience-replay pool and the detectors' histories are not saved.
   */
  async saveCheckpoint(store: CheckpointStore): Promise<void> {
    this.checkIdle('Trainer.saveCheckpoint');
    const { contents, temporary } = await checkpointContents(this.checkpointState());
    try {
      await saveCheckpoint(store, contents);
    } finally {
      tf.dispose(temporary);
    }
  }

  /**
   * Restores a checkpoint written by {@link Trainer.saveCheckpoint} into this trainer, which
   * must have been built with the same networks and options. Everything is checked before
   * anything changes.
   *
   * @param store - where to read from.
   * @returns the step the checkpoint was taken at, which is now {@link Trainer.stepCount}.
   * @throws {@link FormatError} when the checkpoint is corrupt or does not fit this trainer.
   */
  async loadCheckpoint(store: CheckpointStore): Promise<number> {
    this.checkIdle('Trainer.loadCheckpoint');
    const data = await loadCheckpoint(store);
    try {
      const random = data.random as { training?: RandomStreamState; sampling?: RandomStreamState };
      if (random === null || typeof random !== 'object' || !random.training || !random.sampling) {
        throw new FormatError(
          store.location,
          'Trainer.loadCheckpoint: random must hold the training and sampling streams.',
        );
      }
      const training = RandomStream.fromState(random.training);
      const sampling = RandomStream.fromState(random.sampling);
      await restoreContents(this.checkpointState(), data, store.location);
      this.random = training;
      this.sampleRandom = sampling;
      this.completedSteps = data.step;
      return data.step;
    } finally {
      tf.dispose(Object.values(data.groups).flatMap((group) => group.map((n) => n.tensor)));
    }
  }

  /** Frees the optimisers the trainer created and its averages; the models stay the caller's. */
  dispose(): void {
    this.average?.dispose();
    for (const optimizer of this.ownedOptimizers) optimizer.dispose();
    this.ownedOptimizers.length = 0;
  }

  private checkpointState(): TrainerState {
    return {
      setup: this.setup,
      step: this.completedSteps,
      random: { training: this.random.state(), sampling: this.sampleRandom.state() },
      generatorOptimizer: this.generatorOptimizer,
      discriminatorOptimizer: this.discriminatorOptimizer,
      average: this.average,
    };
  }

  private checkIdle(where: string): void {
    if (this.busy) throw new Error(`${where}: a step is running; await it first.`);
  }

  private own(optimizer: tf.Optimizer): tf.Optimizer {
    this.ownedOptimizers.push(optimizer);
    return optimizer;
  }

  private async iteration(
    batches: tf.Tensor[],
    labelBatches: tf.Tensor[] | undefined,
    start: number,
  ): Promise<StepResult> {
    const { setup } = this;
    const step = this.completedSteps;
    const noise = setup.instanceNoise?.stddevAt(step) ?? 0;
    const phase = (optimizer: tf.Optimizer): PhaseInput => ({
      setup,
      optimizer,
      random: this.random,
      step,
      noise,
    });
    const batch = batches[0].shape[0];
    const latents = () => {
      const z = setup.latentSampler(batch, setup.latentDim, this.random.nextSeed());
      if (
        !(z instanceof tf.Tensor) ||
        z.rank !== 2 ||
        z.shape[0] !== batch ||
        z.shape[1] !== setup.latentDim
      ) {
        if (z instanceof tf.Tensor) z.dispose();
        throw new RangeError(
          `Trainer.step: latentSampler must return a tensor of shape [${batch},${setup.latentDim}], ` +
            `got ${describeValue(z instanceof tf.Tensor ? z.shape : z)}.`,
        );
      }
      return z;
    };
    const classes = setup.conditioning?.classes;
    // The fakes' labels are drawn right after their latents, from the same stream.
    const fakeInputs = (): FakeInputs => {
      const z = latents();
      if (classes === undefined) return { z };
      return { z, labels: drawLabels(batch, classes, this.random.nextSeed()) };
    };
    const reals = (i: number) => ({ real: batches[i], labels: labelBatches?.[i] });
    const disposeFakes = (f: FakeInputs) => tf.dispose(f.labels ? [f.z, f.labels] : [f.z]);
    let z = fakeInputs();
    try {
      let d = await discriminatorPhase(phase(this.discriminatorOptimizer), reals(0), z);
      await this.events.emit('update', { network: 'discriminator', step, index: 0, loss: d.loss });
      for (let i = 1; i < setup.discriminatorSteps; i++) {
        disposeFakes(z);
        z = fakeInputs();
        const real = batches[i] ? reals(i) : reals(0);
        d = await discriminatorPhase(phase(this.discriminatorOptimizer), real, z);
        await this.events.emit('update', {
          network: 'discriminator',
          step,
          index: i,
          loss: d.loss,
        });
      }
      const last = reals(batches.length - 1);
      let g = await generatorPhase(phase(this.generatorOptimizer), last, z);
      this.average?.update();
      await this.events.emit('update', { network: 'generator', step, index: 0, loss: g.loss });
      for (let i = 1; i < setup.generatorSteps; i++) {
        disposeFakes(z);
        z = fakeInputs();
        g = await generatorPhase(phase(this.generatorOptimizer), last, z);
        this.average?.update();
        await this.events.emit('update', { network: 'generator', step, index: i, loss: g.loss });
      }
      const warnings = this.warnings(d, g.loss);
      this.completedSteps++;
      const result: StepResult = {
        step: this.completedSteps,
        discriminatorLoss: d.loss,
        generatorLoss: g.loss,
        realScore: d.realScore,
        fakeScore: d.fakeScore,
        terms: { ...d.terms, ...g.terms },
        warnings,
        seconds: (performance.now() - start) / 1000,
      };
      if (setup.instanceNoise) result.instanceNoise = noise;
      if (d.auxiliaryLoss !== undefined) {
        result.auxiliaryLoss = { discriminator: d.auxiliaryLoss, generator: g.auxiliaryLoss! };
      }
      return result;
    } finally {
      disposeFakes(z);
    }
  }

  /** Refuses batches outside `realRange` before any work (one small read per batch). */
  private async checkRange(batches: tf.Tensor[]): Promise<void> {
    const range = this.setup.realRange;
    if (range === null) return;
    for (const batch of batches) {
      const extremes = tf.tidy(() => tf.stack([tf.min(batch), tf.max(batch)]));
      const [min, max] = await extremes.data();
      extremes.dispose();
      if (!(min >= range[0] && max <= range[1])) {
        throw new RangeError(
          `Trainer.step: real must have values in [${range[0]}, ${range[1]}], got values in ` +
            `[${min}, ${max}]; scale 8-bit images with imagesToTensor, or set realRange.`,
        );
      }
    }
  }

  private warnings(
    d: { loss: number; diversity?: { fake: number; real: number } },
    generatorLoss: number,
  ): TrainingWarning[] {
    const found: (TrainingWarning | null)[] = this.undeliveredWarnings.splice(0);
    const step = this.completedSteps;
    if (this.setup.collapseDetector && d.diversity) {
      found.push(this.setup.collapseDetector.update(step, d.diversity.fake, d.diversity.real));
    }
    found.push(this.setup.failureDetector?.update(step, d.loss, generatorLoss) ?? null);
    return found.filter((w): w is TrainingWarning => w !== null);
  }

  private checkBatches(real: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    const steps = this.setup.discriminatorSteps;
    const batches = Array.isArray(real) ? real : [real];
    if (Array.isArray(real) && real.length !== steps) {
      throw new RangeError(
        `Trainer.step: real must be one batch or an array of discriminatorSteps (${steps}) ` +
          `batches, got an array of ${real.length}.`,
      );
    }
    for (const batch of batches) this.checkBatch(batch);
    return batches;
  }

  private checkBatch(batch: tf.Tensor): void {
    if (!(batch instanceof tf.Tensor)) {
      throw new TypeError(`Trainer.step: real must be a tf.Tensor, got ${describeValue(batch)}.`);
    }
    if (batch.isDisposed) {
      throw new RangeError('Trainer.step: real is a disposed tensor; pass a live batch.');
    }
    if (batch.dtype !== 'float32') {
      throw new TypeError(`Trainer.step: real must be float32, got ${batch.dtype}.`);
    }
    const expected = this.setup.realShape;
    if (expected === undefined) return;
    const fits =
      batch.shape.length === expected.length &&
      batch.shape[0] >= 1 &&
      expected.every((size, i) => i === 0 || size === null || size === batch.shape[i]);
    if (!fits) {
      const want = `[${expected.map((d) => (d === null ? '?' : d)).join(',')}]`;
      throw new RangeError(
        `Trainer.step: real must have shape ${want} (the discriminator's input), ` +
          `got ${describeValue(batch.shape)}.`,
      );
    }
  }
}
