/**
 * Warnings about a Trainer's configuration itself, found once when it is built, before any
 * step: combinations of options that train, but not as the user expects. Internal.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import type { TrainingWarning } from '../hacks/diagnostics';
import type { LossTerm } from '../losses/types';

/**
 * The paths (`'outer/inner'`) of every `BatchNormalization` layer of `model`, looking inside
 * nested models and inside wrappers that hold one layer (`SpectralNormalization`,
 * `TimeDistributed`).
 */
export function batchNormLayers(model: tf.LayersModel): string[] {
  const found: string[] = [];
  const visit = (layer: tf.layers.Layer, path: string): void => {
    if (layer.getClassName() === 'BatchNormalization') found.push(path);
    const nested = (layer as { layers?: unknown }).layers;
    if (Array.isArray(nested)) {
      for (const inner of nested) visit(inner as tf.layers.Layer, `${path}/${inner.name}`);
    }
    const wrapped = (layer as { layer?: unknown }).layer;
    if (wrapped instanceof tf.layers.Layer) visit(wrapped, `${path}/${wrapped.name}`);
  };
  for (const layer of model.layers) visit(layer, layer.name);
  return found;
}

/** `'a'` or `'a', 'b'`. */
function quoted(names: string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}

/**
 * A `'penalty-with-batch-norm'` warning when a discriminator term is an input-gradient
 * penalty ({@link LossTerm.inputGradientPenalty}) and the discriminator, a layers model, has
 * batch normalisation. Batch statistics make every logit depend on the whole batch, so the
 * gradient of the summed logits with respect to one sample is no longer that sample's own
 * gradient, which is what the gradient penalty, DRAGAN, R1 and R2 all penalise. A function
 * discriminator cannot be inspected and gives no warning.
 *
 * @param discriminator - the Trainer's discriminator, as given.
 * @param discriminatorTerms - the Trainer's checked discriminator terms.
 * @returns the warnings, at step 0, frozen; empty when the configuration is sound.
 */
export function configurationWarnings(
  discriminator: unknown,
  discriminatorTerms: readonly LossTerm[],
): readonly TrainingWarning[] {
  const warnings: TrainingWarning[] = [];
  const penalties = discriminatorTerms.filter((term) => term.inputGradientPenalty === true);
  if (penalties.length > 0 && discriminator instanceof tf.LayersModel) {
    const layers = batchNormLayers(discriminator);
    if (layers.length > 0) {
      const several = penalties.length > 1;
      const message =
        `Batch normalisation in the discriminator (${layers.length > 1 ? 'layers' : 'layer'} ` +
        `${quoted(layers)}) makes each logit depend on the whole batch, but the penalty ` +
        `${several ? 'terms' : 'term'} ${quoted(penalties.map((term) => term.name))} ` +
        `${several ? 'assume' : 'assumes'} each logit depends on its own sample only, so ` +
        `${several ? 'they penalise' : 'it penalises'} the wrong gradients. Use layer or ` +
        `instance normalisation, or none, in the discriminator (e.g. DCGAN's ` +
        `discriminatorNorm: 'layer').`;
      warnings.push(Object.freeze({ kind: 'penalty-with-batch-norm' as const, step: 0, message }));
    }
  }
  return Object.freeze(warnings);
}
