import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkOneOf, describeValue } from '../errors';
import { classEmbedding } from '../layers/class-embedding';
import { classProjection } from '../layers/class-projection';
import type { RandomStream } from '../random';

/**
 * How a class-conditional model's discriminator uses the class: `'projection'` takes the
 * labels as a second input and adds `<embed(y), h>` to its logit ({@link ClassProjection});
 * `'auxiliary'` (AC-GAN) takes samples only and outputs class logits next to its logit.
 *
 * @category Models
 */
export type ClassConditioning = 'projection' | 'auxiliary';

/**
 * The class-conditioning options that {@link DCGANOptions} and {@link MlpGANOptions} share.
 *
 * @category Models
 */
export interface ConditioningOptions {
  /**
   * Number of classes, an integer >= 2; makes the GAN class-conditional. The generator then
   * takes `[z [batch, latentDim], labels [batch, 1] int32]` (`predict` and the
   * {@link Trainer} also take labels `[batch]`) and concatenates a learned embedding of the
   * label to `z`. @defaultValue unconditional
   */
  classes?: number;
  /**
   * How the discriminator uses the class, with `classes`: `'projection'` (Miyato & Koyama
   * 2018: inputs `[samples, labels [batch, 1]]`, output the logit `[batch, 1]`) or `'auxiliary'`
   * (AC-GAN, Odena et al. 2017: input samples, outputs `[logit [batch, 1], class logits
   * [batch, classes]]`). @defaultValue 'projection'
   */
  conditioning?: ClassConditioning;
  /** Length of the generator's label embedding, with `classes`. @defaultValue 50 */
  labelEmbeddingDim?: number;
}

/**
 * The class-conditioning options with defaults filled in; `classes` and `conditioning` are
 * `null` for an unconditional GAN.
 *
 * @category Models
 */
export interface ResolvedConditioningOptions {
  /** Number of classes, or `null` when unconditional. */
  classes: number | null;
  /** How the discriminator uses the class, or `null` when unconditional. */
  conditioning: ClassConditioning | null;
  /** Length of the generator's label embedding. */
  labelEmbeddingDim: number;
}

export const CONDITIONING_KEYS = ['classes', 'conditioning', 'labelEmbeddingDim'];

/** Checks the conditioning options; `conditioning` without `classes` is refused. */
export function resolveConditioning(
  where: string,
  options: ConditioningOptions,
): ResolvedConditioningOptions {
  const labelEmbeddingDim = checkInteger(
    where,
    'labelEmbeddingDim',
    options.labelEmbeddingDim ?? 50,
    1,
  );
  if (options.classes === undefined) {
    if (options.conditioning !== undefined) {
      throw new TypeError(
        `${where}: conditioning needs classes (the number of classes), got conditioning ` +
          `${describeValue(options.conditioning)} without classes.`,
      );
    }
    return { classes: null, conditioning: null, labelEmbeddingDim };
  }
  return {
    classes: checkInteger(where, 'classes', options.classes, 2),
    conditioning: checkOneOf(where, 'conditioning', options.conditioning ?? 'projection', [
      'projection',
      'auxiliary',
    ] as const),
    labelEmbeddingDim,
  };
}

/**
 * The generator's inputs: `z` alone, or `[z, labels]` with the code `concat(z, embed(y))`,
 * `[batch, latentDim + labelEmbeddingDim]`. The {@link ClassEmbedding} is drawn from
 * `N(0, 0.02²)` like the DCGAN's weights: drawn from `N(0, 1)`, the label drowned `z` and
 * every sample of a class came out the same on MNIST.
 */
export function generatorInputs(
  latentDim: number,
  c: ResolvedConditioningOptions,
  random: RandomStream,
): { inputs: tf.SymbolicTensor[]; code: tf.SymbolicTensor } {
  const z = tf.input({ shape: [latentDim] });
  if (c.classes === null) return { inputs: [z], code: z };
  const labels = tf.input({ shape: [1], dtype: 'int32' });
  const embedded = classEmbedding({
    classes: c.classes,
    outputDim: c.labelEmbeddingDim,
    stddev: 0.02,
    seed: random.nextSeed(),
  }).apply(labels) as tf.SymbolicTensor; // [batch, 1] -> [batch, labelEmbeddingDim]
  const code = tf.layers.concatenate().apply([z, embedded]) as tf.SymbolicTensor;
  return { inputs: [z, labels], code };
}

/** The discriminator's label input, for projection conditioning only. */
export function discriminatorLabels(c: ResolvedConditioningOptions): tf.SymbolicTensor | null {
  return c.conditioning === 'projection' ? tf.input({ shape: [1], dtype: 'int32' }) : null;
}

/**
 * The discriminator's outputs from its features `h [batch, features]`: one logit, a
 * projection logit, or a logit and class logits.
 */
export function discriminatorOutputs(
  h: tf.SymbolicTensor,
  labels: tf.SymbolicTensor | null,
  c: ResolvedConditioningOptions,
  dense: (units: number) => tf.layers.Layer,
  random: RandomStream,
): tf.SymbolicTensor[] {
  if (c.conditioning === 'projection') {
    const projection = classProjection({ classes: c.classes!, seed: random.nextSeed() });
    return [projection.apply([h, labels!]) as tf.SymbolicTensor];
  }
  const logit = dense(1).apply(h) as tf.SymbolicTensor;
  if (c.conditioning === null) return [logit];
  return [logit, dense(c.classes!).apply(h) as tf.SymbolicTensor];
}
