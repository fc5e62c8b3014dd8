import * as tf from '@tensorflow/tfjs';

import { checkInteger, describeValue } from '../errors';
import type { CollapseDetector, FailureDetector } from '../hacks/diagnostics';
import type { NoiseSchedule } from '../hacks/instance-noise';
import { discriminatorTargets, type LabelTricks } from '../hacks/labels';
import { normalLatent, type LatentSampler } from '../hacks/latent';
import type { ExperienceReplay } from '../hacks/replay';
import { nonSaturatingLoss } from '../losses/cross-entropy';
import type { AdversarialLoss, LossTerm } from '../losses/types';
import type { TrainerOptions } from './types';

/** Everything a training step needs, checked and with defaults filled in. */
export interface TrainingSetup {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  loss: AdversarialLoss;
  latentDim: number;
  realShape: (number | null)[];
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

/** Checks the Trainer's options and fills in the defaults. */
export function resolveOptions(options: TrainerOptions): TrainingSetup {
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
  const zShape = options.generator.inputs[0].shape;
  if (zShape.length !== 2 || zShape[1] === null) {
    throw new RangeError(
      `${where}: generator must take latents of shape [batch, latentDim], got input shape ` +
        `${describeValue(zShape.map((d) => (d === null ? '?' : d)))}.`,
    );
  }
  const loss = options.loss ?? nonSaturatingLoss;
  checkLabelTricks(loss, options.labelTricks);
  checkMethod('instanceNoise', options.instanceNoise, 'stddevAt');
  checkMethod('replay', options.replay, 'mix');
  checkMethod('collapseDetector', options.collapseDetector, 'update');
  checkMethod('failureDetector', options.failureDetector, 'update');
  return {
    generator: options.generator,
    discriminator: options.discriminator,
    loss,
    latentDim: zShape[1],
    realShape: options.discriminator.inputs[0].shape,
    discriminatorTerms: checkTerms('discriminatorTerms', options.discriminatorTerms),
    generatorTerms: checkTerms('generatorTerms', options.generatorTerms),
    discriminatorSteps: checkInteger(where, 'discriminatorSteps', options.discriminatorSteps ?? 1, 1),
    latentSampler: options.latentSampler ?? normalLatent,
    labelTricks: options.labelTricks,
    instanceNoise: options.instanceNoise,
    replay: options.replay,
    collapseDetector: options.collapseDetector,
    failureDetector: options.failureDetector,
    trainingKernels: options.trainingKernels ?? true,
  };
}
