import * as tf from '@tensorflow/tfjs';

import {
  checkBoolean,
  checkInteger,
  checkNonNegative,
  checkOptions,
  checkPositive,
  describeValue,
} from '../errors';
import { featureMatchingLoss } from './feature-matching';
import { draganPenalty, gradientPenalty } from './gradient-penalty';
import type { DraganPenaltyOptions, GradientPenaltyOptions } from './gradient-penalty';
import { r1Penalty, r2Penalty, type ZeroCenteredPenaltyOptions } from './r1';
import type { LossTerm } from './types';

/**
 * Options every loss term factory takes.
 *
 * @category Losses
 */
export interface TermOptions {
  /**
   * Compute the term on steps 0, k, 2k, ... only, multiplied by k there (lazy
   * regularisation), an integer >= 1.
   * @defaultValue 1
   */
  every?: number;
  /** The name the Trainer reports the term's value under. @defaultValue the factory's kind */
  name?: string;
}

/** Checks the options of a term factory; returns the resolved `every` and `name`. */
function checkTermOptions(
  where: string,
  options: unknown,
  keys: string[],
  defaultName: string,
): { every: number; name: string } {
  checkOptions(where, options, ['every', 'name', ...keys]);
  const { every = 1, name = defaultName, ...rest } = options as Record<string, unknown>;
  const { weight, epsilon, oneSided, noiseScale } = rest;
  checkInteger(where, 'every', every, 1);
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`${where}: name must be a non-empty string, got ${describeValue(name)}.`);
  }
  if (weight !== undefined) checkNonNegative(where, 'weight', weight);
  if (epsilon !== undefined) checkPositive(where, 'epsilon', epsilon);
  if (noiseScale !== undefined) checkNonNegative(where, 'noiseScale', noiseScale);
  if (oneSided !== undefined) checkBoolean(where, 'oneSided', oneSided);
  return { every: every as number, name };
}

/**
 * A discriminator term adding the WGAN-GP {@link gradientPenalty} between the step's real
 * and generated batches, with a fresh seed each step.
 *
 * @see Gulrajani et al. 2017, https://arxiv.org/abs/1704.00028
 * @param options - the penalty's `weight` (λ, default 10), `epsilon` and `oneSided`, plus
 *   {@link TermOptions}. @defaultValue `{}`
 * @returns a {@link LossTerm} named `'gradient-penalty'` unless renamed, flagged as an
 *   {@link LossTerm.inputGradientPenalty | input-gradient penalty}.
 * @throws TypeError or RangeError when an option is invalid or unknown.
 * @example
 * ```ts
 * import { gradientPenaltyTerm, wassersteinLoss } from 'tfjs-gan';
 * const discriminatorTerms = [gradientPenaltyTerm({ weight: 10 })];
 * // new Trainer({ generator, discriminator, loss: wassersteinLoss, discriminatorTerms })
 * // new Trainer({ generator, discriminator, ...options })
 * ```
 * @category Losses
 */
export function gradientPenaltyTerm(
  options: Omit<GradientPenaltyOptions, 'seed'> & TermOptions = {},
): LossTerm {
  const where = 'gradientPenaltyTerm';
  const keys = ['weight', 'epsilon', 'oneSided'];
  const { every, name } = checkTermOptions(where, options, keys, 'gradient-penalty');
  const { weight, epsilon, oneSided } = options;
  return Object.freeze<LossTerm>({
    name,
    every,
    inputGradientPenalty: true,
    compute: ({ discriminator, real, fake, seed }) =>
      gradientPenalty(discriminator, real, fake, { weight, epsilon, oneSided, seed }),
  });
}

/**
 * A discriminator term adding the {@link draganPenalty} around the step's real batch.
 *
 * @see Kodali et al. 2017, https://arxiv.org/abs/1705.07215
 * @param options - the penalty's `weight` (default 10), `noiseScale` and `epsilon`, plus
 *   {@link TermOptions}. @defaultValue `{}`
 * @returns a {@link LossTerm} named `'dragan'` unless renamed, flagged as an
 *   {@link LossTerm.inputGradientPenalty | input-gradient penalty}.
 * @throws TypeError or RangeError when an option is invalid or unknown.
 * @example
 * ```ts
 * import { draganPenaltyTerm } from 'tfjs-gan';
 * const discriminatorTerms = [draganPenaltyTerm({ weight: 10 })];
 * ```
 * @category Losses
 */
export function draganPenaltyTerm(
  options: Omit<DraganPenaltyOptions, 'seed'> & TermOptions = {},
): LossTerm {
  const where = 'draganPenaltyTerm';
  const keys = ['weight', 'noiseScale', 'epsilon'];
  const { every, name } = checkTermOptions(where, options, keys, 'dragan');
  const { weight, noiseScale, epsilon } = options;
  return Object.freeze<LossTerm>({
    name,
    every,
    inputGradientPenalty: true,
    compute: ({ discriminator, real, seed }) =>
      draganPenalty(discriminator, real, { weight, noiseScale, epsilon, seed }),
  });
}

/**
 * A discriminator term adding the {@link r1Penalty} on the step's real batch; StyleGAN2
 * applies it every 16 steps (`every: 16`).
 *
 * @see Mescheder et al. 2018, https://arxiv.org/abs/1801.04406
 * @see Karras et al. 2020, "Analyzing and Improving the Image Quality of StyleGAN" (lazy
 *   regularisation), https://arxiv.org/abs/1912.04958
 * @param options - the penalty's `weight` (γ, default 10), plus {@link TermOptions}.
 *   @defaultValue `{}`
 * @returns a {@link LossTerm} named `'r1'` unless renamed, flagged as an
 *   {@link LossTerm.inputGradientPenalty | input-gradient penalty}.
 * @throws TypeError or RangeError when an option is invalid or unknown.
 * @example
 * ```ts
 * import { r1PenaltyTerm } from 'tfjs-gan';
 * const discriminatorTerms = [r1PenaltyTerm({ weight: 10, every: 16 })];
 * ```
 * @category Losses
 */
export function r1PenaltyTerm(options: ZeroCenteredPenaltyOptions & TermOptions = {}): LossTerm {
  const { every, name } = checkTermOptions('r1PenaltyTerm', options, ['weight'], 'r1');
  const { weight } = options;
  return Object.freeze<LossTerm>({
    name,
    every,
    inputGradientPenalty: true,
    compute: ({ discriminator, real }) => r1Penalty(discriminator, real, { weight }),
  });
}

/**
 * A discriminator term adding the {@link r2Penalty} on the step's generated batch.
 *
 * @see Mescheder et al. 2018, https://arxiv.org/abs/1801.04406
 * @param options - the penalty's `weight` (γ, default 10), plus {@link TermOptions}.
 *   @defaultValue `{}`
 * @returns a {@link LossTerm} named `'r2'` unless renamed, flagged as an
 *   {@link LossTerm.inputGradientPenalty | input-gradient penalty}.
 * @throws TypeError or RangeError when an option is invalid or unknown.
 * @example
 * ```ts
 * import { r2PenaltyTerm } from 'tfjs-gan';
 * const discriminatorTerms = [r2PenaltyTerm({ weight: 1 })];
 * ```
 * @category Losses
 */
export function r2PenaltyTerm(options: ZeroCenteredPenaltyOptions & TermOptions = {}): LossTerm {
  const { every, name } = checkTermOptions('r2PenaltyTerm', options, ['weight'], 'r2');
  const { weight } = options;
  return Object.freeze<LossTerm>({
    name,
    every,
    inputGradientPenalty: true,
    compute: ({ discriminator, fake, fakeLabels }) =>
      r2Penalty((x) => discriminator(x, fakeLabels), fake, { weight }),
  });
}

/**
 * Options of {@link featureMatchingTerm}.
 *
 * @category Losses
 */
export interface FeatureMatchingTermOptions extends TermOptions {
  /** The discriminator layer whose output is matched: its name, or its index in `model.layers`. */
  layer: string | number;
  /** The term's weight, >= 0. @defaultValue 1 */
  weight?: number;
}

/** Sub-models sharing the discriminator's weights, one per tapped layer; never disposed. */
const featureModels = new WeakMap<tf.LayersModel, Map<string | number, tf.LayersModel>>();

function featureModel(where: string, model: tf.LayersModel, layer: string | number) {
  const cached = featureModels.get(model)?.get(layer);
  if (cached !== undefined) return cached;
  const layers = model.layers;
  let tapped: tf.layers.Layer | undefined;
  if (typeof layer === 'number') {
    if (layer >= layers.length) {
      throw new RangeError(
        `${where}: layer must be an index below ${layers.length} (the discriminator's layer ` +
          `count), got ${layer}.`,
      );
    }
    tapped = layers[layer];
  } else {
    tapped = layers.find((candidate) => candidate.name === layer);
    if (tapped === undefined) {
      const names = layers.map((candidate) => `'${candidate.name}'`).join(', ');
      throw new RangeError(
        `${where}: layer '${layer}' is not a layer of the discriminator; its layers are ${names}.`,
      );
    }
  }
  // A functional model over the same layers: it shares, and must never dispose, their weights.
  const sub = tf.model({ inputs: model.inputs, outputs: tapped.output as tf.SymbolicTensor });
  if (!featureModels.has(model)) featureModels.set(model, new Map());
  featureModels.get(model)!.set(layer, sub);
  return sub;
}

/**
 * A generator term adding the {@link featureMatchingLoss} on an intermediate layer of the
 * discriminator, tapped through a sub-model that shares the discriminator's weights.
 *
 * @see Salimans et al. 2016, section 3.1, https://arxiv.org/abs/1606.03498
 * @param options - the `layer` (name or index) and `weight`, plus {@link TermOptions}.
 * @returns a {@link LossTerm} named `'feature-matching'` unless renamed.
 * @throws TypeError or RangeError when an option is invalid or unknown; RangeError from
 *   `compute` when the layer does not exist in the discriminator.
 * @remarks The tapped layer must have a single output. The sub-model runs the discriminator
 *   up to that layer once more on the real and on the generated batch, in training mode.
 * @example
 * ```ts
 * import { featureMatchingTerm } from 'tfjs-gan';
 * const generatorTerms = [featureMatchingTerm({ layer: 'features', weight: 1 })];
 * ```
 * @category Losses
 */
export function featureMatchingTerm(options: FeatureMatchingTermOptions): LossTerm {
  const where = 'featureMatchingTerm';
  const { every, name } = checkTermOptions(where, options, ['layer', 'weight'], 'feature-matching');
  const { layer, weight = 1 } = options;
  if (typeof layer === 'number') checkInteger(where, 'layer', layer, 0);
  else if (typeof layer !== 'string' || layer === '') {
    throw new TypeError(
      `${where}: layer must be a layer name or index, got ${describeValue(layer)}.`,
    );
  }
  return Object.freeze<LossTerm>({
    name,
    every,
    compute: ({ discriminatorModel, real, fake, realLabels, fakeLabels }) =>
      tf.tidy(() => {
        if (discriminatorModel === undefined) {
          throw new TypeError(
            `${where}: the discriminator must be a tf.LayersModel to tap a layer; a plain ` +
              'function discriminator has no layers.',
          );
        }
        const features = featureModel(where, discriminatorModel, layer);
        // A discriminator taking [samples, labels] gets each batch's own labels.
        const takesLabels = discriminatorModel.inputs.length === 2;
        const realInput = takesLabels ? [real, realLabels!] : real;
        const fakeInput = takesLabels ? [fake, fakeLabels!] : fake;
        const realFeatures = features.apply(realInput, { training: true }) as tf.Tensor;
        const fakeFeatures = features.apply(fakeInput, { training: true }) as tf.Tensor;
        return tf.mul(weight, featureMatchingLoss(realFeatures, fakeFeatures)) as tf.Scalar;
      }),
  });
}
