import * as tf from '@tensorflow/tfjs';

import { checkInteger, describeValue, NonFiniteLossError } from '../errors';
import { normalLatent, type LatentSampler } from '../hacks/latent';
import { installTrainingKernels } from '../kernels/install';
import { nonSaturatingLoss } from '../losses/cross-entropy';
import type { AdversarialLoss, LossTerm, LossTermContext } from '../losses/types';
import { RandomStream } from '../random';
import { runFit } from './fit';
import type { FitData, FitOptions, FitSummary, StepResult, TrainerOptions } from './types';

/** Trainable variables of a layers model, as the `tf.Variable`s that gradients are taken for. */
function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((weight) => weight.read() as tf.Variable);
}

function namedValues(
  due: { term: LossTerm }[],
  values: ArrayLike<number>,
): Record<string, number> {
  return Object.fromEntries(due.map(({ term }, i) => [term.name, values[i]]));
}

function checkTerms(name: string, terms: LossTerm[] | undefined): LossTerm[] {
  if (terms === undefined) return [];
  if (!Array.isArray(terms)) {
    throw new TypeError(`Trainer: ${name} must be an array of loss terms, got ${describeValue(terms)}.`);
  }
  const seen = new Set<string>();
  terms.forEach((term, i) => {
    if (term === null || typeof term !== 'object' || typeof term.compute !== 'function') {
      throw new TypeError(
        `Trainer: ${name}[${i}] must be a loss term with a compute function, got ${describeValue(term)}.`,
      );
    }
    if (typeof term.name !== 'string' || term.name === '' || seen.has(term.name)) {
      throw new RangeError(
        `Trainer: ${name}[${i}].name must be a unique non-empty string, got ${describeValue(term.name)}.`,
      );
    }
    seen.add(term.name);
    if (term.every !== undefined) checkInteger('Trainer', `${name}[${i}].every`, term.every, 1);
  });
  return [...terms];
}

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
  /** The generator being trained. */
  readonly generator: tf.LayersModel;
  /** The discriminator being trained. */
  readonly discriminator: tf.LayersModel;
  /** The loss pair in use. */
  readonly loss: AdversarialLoss;
  /** Length of the latent vectors. */
  readonly latentDim: number;
  private readonly generatorOptimizer: tf.Optimizer;
  private readonly discriminatorOptimizer: tf.Optimizer;
  private readonly ownedOptimizers: tf.Optimizer[] = [];
  private readonly discriminatorTerms: LossTerm[];
  private readonly generatorTerms: LossTerm[];
  private readonly latentSampler: LatentSampler;
  private readonly random: RandomStream;
  private readonly sampleRandom: RandomStream;
  private readonly trainingKernels: boolean;
  private readonly realShape: (number | null)[];
  private completedSteps = 0;
  private busy = false;

  /**
   * @param options - see {@link TrainerOptions}.
   * @throws TypeError when `generator` or `discriminator` is not a `tf.LayersModel`.
   */
  constructor(options: TrainerOptions) {
    const where = 'Trainer';
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}.`);
    }
    for (const name of ['generator', 'discriminator'] as const) {
      if (!(options[name] instanceof tf.LayersModel)) {
        throw new TypeError(
          `${where}: ${name} must be a tf.LayersModel, got ${describeValue(options[name])}.`,
        );
      }
    }
    this.generator = options.generator;
    this.discriminator = options.discriminator;
    this.loss = options.loss ?? nonSaturatingLoss;
    const zShape = this.generator.inputs[0].shape;
    if (zShape.length !== 2 || zShape[1] === null) {
      throw new RangeError(
        `${where}: generator must take latents of shape [batch, latentDim], got input shape ` +
          `${describeValue(zShape.map((d) => (d === null ? '?' : d)))}.`,
      );
    }
    this.latentDim = zShape[1];
    this.realShape = this.discriminator.inputs[0].shape;
    this.generatorOptimizer = options.generatorOptimizer ?? this.own(defaultOptimizer());
    this.discriminatorOptimizer = options.discriminatorOptimizer ?? this.own(defaultOptimizer());
    this.discriminatorTerms = checkTerms('discriminatorTerms', options.discriminatorTerms);
    this.generatorTerms = checkTerms('generatorTerms', options.generatorTerms);
    this.latentSampler = options.latentSampler ?? normalLatent;
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.random = new RandomStream(seed);
    this.sampleRandom = new RandomStream(`${seed}:sample`);
    this.trainingKernels = options.trainingKernels ?? true;
  }

  /** How many steps this trainer has run. */
  get stepCount(): number {
    return this.completedSteps;
  }

  /**
   * Runs one training iteration on a batch of real samples: one discriminator update, then
   * one generator update.
   *
   * @param realBatch - real samples `[batch, ...discriminator input shape]`, e.g.
   * `[64, 28, 28, 1]` in [-1, 1]; not disposed.
   * @returns the step's losses and diagnostics as plain numbers.
   * @throws RangeError when `realBatch` does not fit the discriminator's input.
   * @throws {@link NonFiniteLossError} when a loss is NaN or infinite; the network whose loss
   * it was is left unchanged by that step.
   */
  async step(realBatch: tf.Tensor): Promise<StepResult> {
    this.checkBatch(realBatch);
    if (this.busy) {
      throw new Error('Trainer.step: a step is already running; await it before the next.');
    }
    this.busy = true;
    const start = performance.now();
    if (this.trainingKernels) installTrainingKernels();
    const z = this.latentSampler(realBatch.shape[0], this.latentDim, this.random.nextSeed());
    try {
      const d = await this.discriminatorStep(realBatch, z);
      const g = await this.generatorStep(realBatch, z);
      this.completedSteps++;
      return {
        step: this.completedSteps,
        discriminatorLoss: d.loss,
        generatorLoss: g.loss,
        realScore: d.realScore,
        fakeScore: d.fakeScore,
        terms: { ...d.terms, ...g.terms },
        seconds: (performance.now() - start) / 1000,
      };
    } finally {
      z.dispose();
      this.busy = false;
    }
  }

  /**
   * Loops {@link Trainer.step} over batches, for a number of epochs or steps, with callbacks
   * and an abort signal, yielding to the event loop after every step so a page stays
   * responsive.
   *
   * @param data - arrays or (async) iterables of real batches, or a function returning a
   * fresh iterable per epoch.
   * @param options - see {@link FitOptions}.
   * @returns how many steps and epochs ran and why it stopped.
   */
  fit(data: FitData, options: FitOptions = {}): Promise<FitSummary> {
    return runFit(this, data, options);
  }

  /**
   * Draws samples from the generator in inference mode (batch normalisation uses its moving
   * statistics and never changes them).
   *
   * @param count - how many samples, an integer >= 1.
   * @param seed - seed of the latents; omit to continue the trainer's own sampling stream,
   * which is separate from the training stream so sampling never changes training.
   * @returns `[count, ...sample shape]`, owned by the caller.
   */
  sample(count: number, seed?: number): tf.Tensor {
    const z = this.latentSampler(count, this.latentDim, seed ?? this.sampleRandom.nextSeed());
    try {
      return tf.tidy(() => this.generator.apply(z, { training: false }) as tf.Tensor);
    } finally {
      z.dispose();
    }
  }

  /** Frees the optimisers the trainer created; the models stay the caller's. */
  dispose(): void {
    for (const optimizer of this.ownedOptimizers) optimizer.dispose();
    this.ownedOptimizers.length = 0;
  }

  private own(optimizer: tf.Optimizer): tf.Optimizer {
    this.ownedOptimizers.push(optimizer);
    return optimizer;
  }

  private checkBatch(batch: tf.Tensor): void {
    if (!(batch instanceof tf.Tensor)) {
      throw new TypeError(`Trainer.step: realBatch must be a tf.Tensor, got ${describeValue(batch)}.`);
    }
    const expected = this.realShape;
    const fits =
      batch.shape.length === expected.length &&
      batch.shape[0] >= 1 &&
      expected.every((size, i) => i === 0 || size === null || size === batch.shape[i]);
    if (!fits) {
      const want = `[${expected.map((d) => (d === null ? '?' : d)).join(',')}]`;
      throw new RangeError(
        `Trainer.step: realBatch must have shape ${want} (the discriminator's input), ` +
          `got ${describeValue(batch.shape)}.`,
      );
    }
  }

  /** The terms due at this step, each with a seed drawn now so the stream's order is fixed. */
  private dueTerms(terms: LossTerm[]): { term: LossTerm; seed: number }[] {
    return terms
      .filter((term) => this.completedSteps % (term.every ?? 1) === 0)
      .map((term) => ({ term, seed: this.random.nextSeed() }));
  }

  /**
   * Adds the due terms (each scaled by its `every`) to `loss`, on the current tape; returns
   * the total and the values `[loss, term1, term2, ...]` stacked.
   */
  private addTerms(
    loss: tf.Scalar,
    due: { term: LossTerm; seed: number }[],
    context: Omit<LossTermContext, 'seed'>,
  ): { total: tf.Scalar; parts: tf.Tensor1D } {
    const parts: tf.Scalar[] = [loss];
    for (const { term, seed } of due) {
      parts.push(tf.mul(term.compute({ ...context, seed }), term.every ?? 1));
    }
    return { total: tf.addN(parts) as tf.Scalar, parts: tf.stack(parts) as tf.Tensor1D };
  }

  private async discriminatorStep(
    real: tf.Tensor,
    z: tf.Tensor,
  ): Promise<{ loss: number; realScore: number; fakeScore: number; terms: Record<string, number> }> {
    const due = this.dueTerms(this.discriminatorTerms);
    let kept: tf.Tensor | undefined;
    const { value, grads } = tf.tidy(() => {
      // The generator runs outside the gradient tape: this update changes only D.
      const fake = this.generator.apply(z, { training: true }) as tf.Tensor;
      return tf.variableGrads(() => {
        const discriminator = (x: tf.Tensor) =>
          this.discriminator.apply(x, { training: true }) as tf.Tensor;
        const generator = (latents: tf.Tensor) =>
          this.generator.apply(latents, { training: true }) as tf.Tensor;
        const realLogits = discriminator(real);
        const fakeLogits = discriminator(fake);
        const loss = this.loss.discriminatorLoss(realLogits, fakeLogits);
        const { total, parts } = this.addTerms(loss, due, {
          discriminator,
          generator,
          latents: z,
          discriminatorModel: this.discriminator,
          real,
          fake,
          realLogits,
          fakeLogits,
          step: this.completedSteps,
        });
        const scores = tf.stack([tf.mean(tf.sigmoid(realLogits)), tf.mean(tf.sigmoid(fakeLogits))]);
        kept = tf.keep(tf.concat([scores, parts]));
        return total;
      }, variablesOf(this.discriminator));
    });
    const [total] = await value.data();
    const [realScore, fakeScore, loss, ...termValues] = await kept!.data();
    tf.dispose([kept!, value]);
    this.applyOrThrow(this.discriminatorOptimizer, grads, total, 'discriminator');
    return { loss, realScore, fakeScore, terms: namedValues(due, termValues) };
  }

  private async generatorStep(
    real: tf.Tensor,
    z: tf.Tensor,
  ): Promise<{ loss: number; terms: Record<string, number> }> {
    const due = this.dueTerms(this.generatorTerms);
    let kept: tf.Tensor | undefined;
    const { value, grads } = tf.tidy(() =>
      tf.variableGrads(() => {
        const discriminator = (x: tf.Tensor) =>
          this.discriminator.apply(x, { training: true }) as tf.Tensor;
        const generator = (latents: tf.Tensor) =>
          this.generator.apply(latents, { training: true }) as tf.Tensor;
        const fake = generator(z);
        const fakeLogits = discriminator(fake);
        // Relativistic losses compare with the real logits; other losses never read them.
        const realLogits = this.loss.needsRealLogitsForGenerator ? discriminator(real) : undefined;
        const loss = this.loss.generatorLoss(fakeLogits, realLogits);
        const { total, parts } = this.addTerms(loss, due, {
          discriminator,
          generator,
          latents: z,
          discriminatorModel: this.discriminator,
          real,
          fake,
          realLogits,
          fakeLogits,
          step: this.completedSteps,
        });
        kept = tf.keep(parts);
        return total;
      }, variablesOf(this.generator)),
    );
    const [total] = await value.data();
    const [loss, ...termValues] = await kept!.data();
    tf.dispose([kept!, value]);
    this.applyOrThrow(this.generatorOptimizer, grads, total, 'generator');
    return { loss, terms: namedValues(due, termValues) };
  }

  private applyOrThrow(
    optimizer: tf.Optimizer,
    grads: tf.NamedTensorMap,
    loss: number,
    network: 'generator' | 'discriminator',
  ): void {
    try {
      if (!Number.isFinite(loss)) throw new NonFiniteLossError(this.completedSteps, network, loss);
      optimizer.applyGradients(grads);
    } finally {
      tf.dispose(grads);
    }
  }
}
