import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkRange, describeValue } from '../errors';
import type { CollapseDetector, FailureDetector } from '../hacks/diagnostics';
import type { NoiseSchedule } from '../hacks/instance-noise';
import { discriminatorTargets, type LabelTricks } from '../hacks/labels';
import { normalLatent, type LatentSampler } from '../hacks/latent';
import type { ExperienceReplay } from '../hacks/replay';
import { nonSaturatingLoss } from '../losses/cross-entropy';
import type { AuxiliaryHead } from '../losses/auxiliary';
import type { AdversarialLoss, LossTerm } from '../losses/types';
import {
  resolveConditioning,
  resolveUnconditionalHead,
  UNCONDITIONAL_AUXILIARY,
  type Conditioning,
  type DiscriminatorRole,
} from './conditioning';
import { toNetwork, type Network } from './network';
import type { TrainerOptions } from './types';

/** Everything a training step needs, checked and with defaults filled in. */
export interface TrainingSetup {
  generator: Network;
  discriminator: Network;
  /** How labels flow through the networks; absent for an unconditional trainer. */
  conditioning?: Conditioning;
  /**
   * The auxiliary head of an unconditional trainer whose discriminator returns
   * `[logits, auxiliary]` (e.g. InfoGAN's); a conditional trainer's head is in `conditioning`.
   */
  auxiliaryHead?: AuxiliaryHead;
  loss: AdversarialLoss;
  latentDim: number;
  /** The discriminator's input shape, when known. */
  realShape?: (number | null)[];
  realRange: [number, number] | null;
  generatorSteps: number;
  weightClipping?: number;
  emaDecay?: number;
  discriminatorTerms: LossTerm[];
  generatorTerms: LossTerm[];
  discriminatorSteps: number;
  latentSampler: LatentSampler;
  labelTricks?: LabelTricks;
  instanceNoise?: NoiseSchedule;
  replay?: ExperienceReplay;
  collapseDetector?: CollapseDetector;
  failureDetector?: FailureDetector;
  trainingKernels: boolean;
}

/** Loss names whose discriminator loss is a cross-entropy against targets 1 and 0. */
const CROSS_ENTROPY_LOSSES = ['non-saturating', 'minimax'];

function checkTerms(name: string, terms: LossTerm[] | undefined): LossTerm[] {
  if (terms === undefined) return [];
  if (!Array.isArray(terms)) {
    throw new TypeError(
      `Trainer: ${name} must be an array of loss terms, got ${describeValue(terms)}.`,
    );
  }
  const seen = new Set<string>();
  terms.forEach((term, i) => {
    if (term === null || typeof term !== 'object' || typeof term.compute !== 'function') {
      throw new TypeError(
        `Trainer: ${name}[${i}] must be a loss term with a compute function, ` +
          `got ${describeValue(term)}.`,
      );
    }
    if (typeof term.name !== 'string' || term.name === '' || seen.has(term.name)) {
      throw new RangeError(
        `Trainer: ${name}[${i}].name must be a unique non-empty string, ` +
          `got ${describeValue(term.name)}.`,
      );
    }
    seen.add(term.name);
    if (term.every !== undefined) checkInteger('Trainer', `${name}[${i}].every`, term.every, 1);
  });
  return [...terms];
}

function checkMethod(name: string, value: unknown, method: string): void {
  if (value === undefined) return;
  const fn = (value as Record<string, unknown> | null)?.[method];
  if (typeof fn !== 'function') {
    throw new TypeError(
      `Trainer: ${name} must be an object with a ${method} method, got ${describeValue(value)}.`,
    );
  }
}

function checkLabelTricks(loss: AdversarialLoss, tricks: LabelTricks | undefined): void {
  if (tricks === undefined) return;
  if (!CROSS_ENTROPY_LOSSES.includes(loss.name)) {
    throw new RangeError(
      `Trainer: labelTricks needs a cross-entropy loss ('non-saturating' or 'minimax'), ` +
        `got loss '${loss.name}'.`,
    );
  }
  // Validates the spec now, so a bad one fails before any step.
  tf.dispose(Object.values(discriminatorTargets(tricks, 1, 0)));
}

function latentDimOf(generator: Network, given: number | undefined): number {
  const where = 'Trainer';
  if (given !== undefined) checkInteger(where, 'latentDim', given, 1);
  if (!generator.model) {
    if (given === undefined) {
      throw new TypeError(`${where}: latentDim is required when the generator is a function.`);
    }
    return given;
  }
  // A conditional generator's first input is z, its second the labels.
  const zShape = generator.model.inputs[0].shape;
  if (zShape.length !== 2 || zShape[1] === null) {
    throw new RangeError(
      `${where}: generator must take latents of shape [batch, latentDim], got input shape ` +
        `${describeValue(zShape.map((d) => (d === null ? '?' : d)))}.`,
    );
  }
  if (given !== undefined && given !== zShape[1]) {
    throw new RangeError(
      `${where}: latentDim must match the generator's input, ${zShape[1]}, got ${given}.`,
    );
  }
  return zShape[1];
}

/** `[-1, 1]` for a layers-model generator whose last layer ends in tanh, else no check. */
function defaultRealRange(generator: Network): [number, number] | null {
  const layers = generator.model?.layers ?? [];
  const last = layers[layers.length - 1];
  const activation = last?.getConfig().activation;
  return activation === 'tanh' ? [-1, 1] : null;
}

function checkRealRange(value: unknown): [number, number] | null {
  const ok =
    value === null ||
    (Array.isArray(value) &&
      value.length === 2 &&
      value.every((v) => typeof v === 'number' && !Number.isNaN(v)) &&
      value[0] <= value[1]);
  if (!ok) {
    throw new RangeError(
      `Trainer: realRange must be [low, high] with low <= high, or null, got ${describeValue(value)}.`,
    );
  }
  return value as [number, number] | null;
}

/** Checks the Trainer's options and fills in the defaults. */
export function resolveOptions(options: TrainerOptions): TrainingSetup {
  const where = 'Trainer';
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}.`);
  }
  const generator = toNetwork('generator', options.generator, options.generatorVariables);
  const discriminator = toNetwork(
    'discriminator',
    options.discriminator,
    options.discriminatorVariables,
  );
  const conditioning = resolveConditioning(options, generator, discriminator);
  if (conditioning && options.replay !== undefined) {
    throw new RangeError(
      `${where}: replay cannot be combined with a conditional trainer (classes): replayed ` +
        'fakes carry no labels.',
    );
  }
  const auxiliaryHead = resolveUnconditionalHead(options, conditioning, discriminator);
  if (auxiliaryHead && options.replay !== undefined) {
    throw new RangeError(
      `${where}: replay cannot be combined with an auxiliaryHead: replayed fakes carry no ` +
        'latents for the head.',
    );
  }
  const loss = options.loss ?? nonSaturatingLoss;
  checkLabelTricks(loss, options.labelTricks);
  checkMethod('instanceNoise', options.instanceNoise, 'stddevAt');
  checkMethod('replay', options.replay, 'mix');
  checkMethod('collapseDetector', options.collapseDetector, 'update');
  checkMethod('failureDetector', options.failureDetector, 'update');
  if (options.weightClipping !== undefined) {
    checkRange(where, 'weightClipping', options.weightClipping, Number.MIN_VALUE, Infinity);
  }
  if (options.emaDecay !== undefined) {
    const decay = checkRange(where, 'emaDecay', options.emaDecay, 0, 1);
    if (decay === 0 || decay === 1) {
      throw new RangeError(`${where}: emaDecay must be in (0, 1), got ${decay}.`);
    }
  }
  return {
    generator,
    discriminator,
    conditioning,
    auxiliaryHead,
    loss,
    latentDim: latentDimOf(generator, options.latentDim),
    realShape: discriminator.inputShape,
    realRange:
      options.realRange === undefined
        ? defaultRealRange(generator)
        : checkRealRange(options.realRange),
    discriminatorTerms: checkTerms('discriminatorTerms', options.discriminatorTerms),
    generatorTerms: checkTerms('generatorTerms', options.generatorTerms),
    discriminatorSteps: checkInteger(
      where,
      'discriminatorSteps',
      options.discriminatorSteps ?? 1,
      1,
    ),
    generatorSteps: checkInteger(where, 'generatorSteps', options.generatorSteps ?? 1, 1),
    weightClipping: options.weightClipping,
    emaDecay: options.emaDecay,
    latentSampler: options.latentSampler ?? normalLatent,
    labelTricks: options.labelTricks,
    instanceNoise: options.instanceNoise,
    replay: options.replay,
    collapseDetector: options.collapseDetector,
    failureDetector: options.failureDetector,
    trainingKernels: options.trainingKernels ?? true,
  };
}

/** The head whose loss joins both updates: the conditional one or the unconditional one. */
export function headOf(setup: TrainingSetup): AuxiliaryHead | undefined {
  return setup.conditioning?.head ?? setup.auxiliaryHead;
}

/** How the phases call the discriminator (labels in, or an auxiliary output out). */
export function roleOf(setup: TrainingSetup): DiscriminatorRole | undefined {
  return setup.conditioning ?? (setup.auxiliaryHead ? UNCONDITIONAL_AUXILIARY : undefined);
}
