import * as tf from '@tensorflow/tfjs';

import { NonFiniteLossError } from '../errors';
import { sampleDiversity } from '../hacks/diagnostics';
import { addInstanceNoise } from '../hacks/instance-noise';
import { discriminatorTargets, sigmoidCrossEntropyWithTargets } from '../hacks/labels';
import type { LossTerm, LossTermContext } from '../losses/types';
import type { RandomStream } from '../random';
import { discriminate, generate } from './conditioning';
import { headOf, roleOf, type TrainingSetup } from './options';
import { meanSigmoid, readTogether } from './read-back';

/** One update's inputs that do not change within a step. */
export interface PhaseInput {
  setup: TrainingSetup;
  optimizer: tf.Optimizer;
  random: RandomStream;
  /** 0-based index of the step being run. */
  step: number;
  /** The instance-noise standard deviation of this step (0 when off). */
  noise: number;
}

/** A batch of latents, with the labels its fakes are generated for in a conditional trainer. */
export interface FakeInputs {
  z: tf.Tensor;
  labels?: tf.Tensor;
}

/** A real batch, with its labels in a conditional trainer. */
export interface RealInputs {
  real: tf.Tensor;
  labels?: tf.Tensor;
}

/** What a discriminator update measured. */
export interface DiscriminatorPhaseResult {
  loss: number;
  realScore: number;
  fakeScore: number;
  terms: Record<string, number>;
  /** The auxiliary head's loss, when the discriminator has an auxiliary output. */
  auxiliaryLoss?: number;
  /** Mean pairwise distances of the fake and the real batch, when a collapse detector is on. */
  diversity?: { fake: number; real: number };
}

type DueTerm = { term: LossTerm; seed: number };

/** The terms due at this step, each with a seed drawn now so the stream's order is fixed. */
function dueTerms(terms: LossTerm[], input: PhaseInput): DueTerm[] {
  return terms
    .filter((term) => input.step % (term.every ?? 1) === 0)
    .map((term) => ({ term, seed: input.random.nextSeed() }));
}

/** Adds the due terms (each scaled by its `every`) to `loss`; returns the total and the parts. */
function addTerms(
  loss: tf.Scalar,
  due: DueTerm[],
  context: Omit<LossTermContext, 'seed'>,
): { total: tf.Scalar; parts: tf.Scalar[] } {
  const parts: tf.Scalar[] = [loss];
  for (const { term, seed } of due) {
    parts.push(tf.mul(term.compute({ ...context, seed }), term.every ?? 1));
  }
  // Without terms the loss is the total; skipping the sum saves two kernels per update.
  const total = parts.length === 1 ? loss : (tf.addN(parts) as tf.Scalar);
  return { total, parts };
}

/** The tensors an update reads back, kept past the gradient's scope. */
interface OnTape {
  logits: tf.Tensor[];
  scalars: tf.Scalar[];
  objective: tf.Scalar;
}

/** Keeps the tensors an update reads back, so they outlive the gradient's scope. */
function keepAll(tensors: OnTape): OnTape {
  for (const t of [...tensors.logits, ...tensors.scalars, tensors.objective]) tf.keep(t);
  return tensors;
}

function disposeAll(tensors: OnTape): void {
  tf.dispose([...tensors.logits, ...tensors.scalars, tensors.objective]);
}

/**
 * Reads `leading` and an update's scalars in one go: the parts of its loss (the loss, then
 * each term's value), the head's loss when there is one, then the objective, which is the
 * last part's own tensor when there are no terms and no head. Returns `leading`'s values,
 * the scalars' values, and the objective's value.
 */
async function readScalars(
  onTape: OnTape,
  leading: tf.Tensor[],
): Promise<[Float32Array[], number[], number]> {
  const { scalars, objective } = onTape;
  const tail = scalars.length === 1 && scalars[0] === objective ? scalars : [...scalars, objective];
  const values = await readTogether([...leading, ...tail]);
  const numbers = values.slice(leading.length).map((v) => v[0]);
  return [values.slice(0, leading.length), numbers, numbers[numbers.length - 1]];
}

function namedValues(due: DueTerm[], values: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(due.map(({ term }, i) => [term.name, values[i]]));
}

/**
 * The networks in training mode as one-tensor functions for the loss terms; in a conditional
 * trainer labels default to the real batch's (discriminator) and the fakes' (generator).
 */
function networks(setup: TrainingSetup, realLabels?: tf.Tensor, fakeLabels?: tf.Tensor) {
  const conditioning = roleOf(setup);
  return {
    discriminator: (x: tf.Tensor, labels: tf.Tensor | undefined = realLabels) =>
      discriminate(setup.discriminator, conditioning, x, labels, true).logits,
    generator: (z: tf.Tensor, labels: tf.Tensor | undefined = fakeLabels) =>
      generate(setup.generator, z, labels, true),
  };
}

/** Clips every discriminator variable to `[-c, c]` (the original WGAN's Lipschitz device). */
function clipWeights(setup: TrainingSetup): void {
  const c = setup.weightClipping;
  if (c === undefined) return;
  tf.tidy(() => {
    for (const v of setup.discriminator.variables()) v.assign(tf.clipByValue(v, -c, c));
  });
}

/** Applies the update unless the loss is non-finite; always disposes the gradients. */
function applyOrThrow(
  input: PhaseInput,
  grads: tf.NamedTensorMap,
  loss: number,
  network: 'generator' | 'discriminator',
): void {
  try {
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(input.step, network, loss);
    input.optimizer.applyGradients(grads);
  } finally {
    tf.dispose(grads);
  }
}

/** `G(z)` off the tape, mixed with replayed fakes when replay is on (and pushed to the pool). */
function fakesForDiscriminator(input: PhaseInput, fakes: FakeInputs): tf.Tensor {
  const { setup } = input;
  const fake = tf.tidy(() => generate(setup.generator, fakes.z, fakes.labels, true));
  if (!setup.replay) return fake;
  // Mix before pushing, so a batch is never mixed with itself.
  const mixed = setup.replay.mix(fake, input.random.nextSeed());
  setup.replay.push(fake);
  fake.dispose();
  return mixed;
}

/**
 * One discriminator update on a real batch and `G(z)`: real and fake pass through the
 * discriminator as separate batches, with instance noise, label tricks and replay when on.
 */
export async function discriminatorPhase(
  input: PhaseInput,
  reals: RealInputs,
  fakes: FakeInputs,
): Promise<DiscriminatorPhaseResult> {
  const { setup } = input;
  const { real, labels: realLabels } = reals;
  const { z, labels: fakeLabels } = fakes;
  const head = headOf(setup);
  const due = dueTerms(setup.discriminatorTerms, input);
  const noiseSeeds = input.noise > 0 ? [input.random.nextSeed(), input.random.nextSeed()] : [];
  const targets = setup.labelTricks
    ? discriminatorTargets(setup.labelTricks, real.shape[0], input.random.nextSeed())
    : undefined;
  const fake = fakesForDiscriminator(input, fakes);
  let diversity: tf.Tensor | undefined;
  let onTape: OnTape | undefined;
  try {
    const { value, grads } = tf.tidy(() =>
      tf.variableGrads(() => {
        const { discriminator, generator } = networks(setup, realLabels, fakeLabels);
        const [realSeen, fakeSeen] =
          input.noise > 0
            ? [
                addInstanceNoise(real, input.noise, noiseSeeds[0]),
                addInstanceNoise(fake, input.noise, noiseSeeds[1]),
              ]
            : [real, fake];
        const c = roleOf(setup);
        const realOut = discriminate(setup.discriminator, c, realSeen, realLabels, true);
        const fakeOut = discriminate(setup.discriminator, c, fakeSeen, fakeLabels, true);
        const realLogits = realOut.logits;
        const fakeLogits = fakeOut.logits;
        const headLoss = head?.discriminatorLoss({
          realOutput: realOut.auxiliary,
          realLabels,
          fakeOutput: fakeOut.auxiliary!,
          fakeLabels,
          latents: z,
        });
        const loss = targets
          ? (tf.add(
              sigmoidCrossEntropyWithTargets(realLogits, targets.real),
              sigmoidCrossEntropyWithTargets(fakeLogits, targets.fake),
            ) as tf.Scalar)
          : setup.loss.discriminatorLoss(realLogits, fakeLogits);
        const { total, parts } = addTerms(loss, due, {
          discriminator,
          generator,
          latents: z,
          discriminatorModel: setup.discriminator.model,
          real: realSeen,
          fake: fakeSeen,
          realLogits,
          fakeLogits,
          realLabels,
          fakeLabels,
          step: input.step,
        });
        const objective = headLoss ? (tf.add(total, headLoss) as tf.Scalar) : total;
        onTape = keepAll({
          logits: [realLogits, fakeLogits],
          scalars: headLoss ? [...parts, headLoss] : parts,
          objective,
        });
        return objective as tf.Scalar;
      }, setup.discriminator.variables()),
    );
    // Built off the tape, so the tape saves no copies for this read.
    if (setup.collapseDetector) {
      diversity = tf.tidy(() => tf.stack([sampleDiversity(fake), sampleDiversity(real)]));
    }
    const [leading, scalars, total] = await readScalars(onTape!, [
      ...onTape!.logits,
      ...(diversity ? [diversity] : []),
    ]);
    // `value` is the objective's own tensor (disposing both is safe).
    disposeAll(onTape!);
    value.dispose();
    const [loss, ...termValues] = scalars.slice(0, 1 + due.length);
    applyOrThrow(input, grads, total, 'discriminator');
    clipWeights(setup);
    const result: DiscriminatorPhaseResult = {
      loss,
      realScore: meanSigmoid(leading[0]),
      fakeScore: meanSigmoid(leading[1]),
      terms: namedValues(due, termValues),
    };
    if (head) result.auxiliaryLoss = scalars[1 + due.length];
    if (diversity) result.diversity = { fake: leading[2][0], real: leading[2][1] };
    return result;
  } finally {
    tf.dispose(diversity ? [fake, diversity] : [fake]);
    if (onTape) disposeAll(onTape);
    if (targets) tf.dispose([targets.real, targets.fake]);
  }
}

/** One generator update through the (just updated) discriminator; returns loss and terms. */
export async function generatorPhase(
  input: PhaseInput,
  reals: RealInputs,
  fakes: FakeInputs,
): Promise<{ loss: number; terms: Record<string, number>; auxiliaryLoss?: number }> {
  const { setup } = input;
  const { real, labels: realLabels } = reals;
  const { z, labels: fakeLabels } = fakes;
  const c = roleOf(setup);
  const head = headOf(setup);
  const due = dueTerms(setup.generatorTerms, input);
  const noiseSeeds = input.noise > 0 ? [input.random.nextSeed(), input.random.nextSeed()] : [];
  const needsReal = setup.loss.needsRealLogitsForGenerator === true;
  let onTape: OnTape | undefined;
  const { value, grads } = tf.tidy(() =>
    tf.variableGrads(() => {
      const { discriminator, generator } = networks(setup, realLabels, fakeLabels);
      const seen = (x: tf.Tensor, i: number) =>
        input.noise > 0 ? addInstanceNoise(x, input.noise, noiseSeeds[i]) : x;
      const fake = generator(z);
      const fakeOut = discriminate(setup.discriminator, c, seen(fake, 0), fakeLabels, true);
      const fakeLogits = fakeOut.logits;
      // Relativistic losses compare with the real logits; other losses never read them.
      const realLogits = needsReal ? discriminator(seen(real, 1)) : undefined;
      const loss = setup.loss.generatorLoss(fakeLogits, realLogits);
      const headLoss = head?.generatorLoss({
        fakeOutput: fakeOut.auxiliary!,
        fakeLabels,
        latents: z,
      });
      const { total, parts } = addTerms(loss, due, {
        discriminator,
        generator,
        latents: z,
        discriminatorModel: setup.discriminator.model,
        real,
        fake,
        realLogits,
        fakeLogits,
        realLabels,
        fakeLabels,
        step: input.step,
      });
      const objective = headLoss ? (tf.add(total, headLoss) as tf.Scalar) : total;
      onTape = keepAll({ logits: [], scalars: headLoss ? [...parts, headLoss] : parts, objective });
      return objective as tf.Scalar;
    }, setup.generator.variables()),
  );
  const [, scalars, total] = await readScalars(onTape!, []).finally(() => {
    disposeAll(onTape!);
    value.dispose();
  });
  const [loss, ...termValues] = scalars.slice(0, 1 + due.length);
  applyOrThrow(input, grads, total, 'generator');
  const result: { loss: number; terms: Record<string, number>; auxiliaryLoss?: number } = {
    loss,
    terms: namedValues(due, termValues),
  };
  if (head) result.auxiliaryLoss = scalars[1 + due.length];
  return result;
}
