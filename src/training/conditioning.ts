import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkOneOf, describeValue } from '../errors';
import { auxiliaryClassifierHead, type AuxiliaryHead } from '../losses/auxiliary';
import type { Network } from './network';
import type { TrainerOptions } from './types';

/**
 * How a class-conditional trainer feeds labels through its networks. The generator always
 * takes `[z, labels]`; the discriminator may take `[samples, labels]` (`takesLabels`) and may
 * return `[logits, auxiliary]` (`head` set), whose loss is added to both updates.
 */
export interface Conditioning {
  classes: number;
  discriminatorTakesLabels: boolean;
  /** The loss on the discriminator's auxiliary output; absent when it has none. */
  head?: AuxiliaryHead;
}

/** What a discriminator returns: adversarial logits, and the auxiliary output when it has one. */
export interface Discriminated {
  logits: tf.Tensor;
  auxiliary?: tf.Tensor;
}

const where = 'Trainer';

/** The class count of an embedding layer fed straight by the generator's label input. */
function classesOfGenerator(model: tf.LayersModel): number | undefined {
  const labels = model.inputs[1];
  for (const layer of model.layers) {
    const name = layer.getClassName();
    if (name !== 'Embedding' && name !== 'ClassEmbedding') continue;
    const fed = layer.inboundNodes.some((node) => node.inputTensors.includes(labels));
    const config = layer.getConfig();
    if (fed) return (name === 'Embedding' ? config.inputDim : config.classes) as number;
  }
  return undefined;
}

function checkCounts(name: string, network: Network, inputs: number, outputs: number): void {
  if (network.inputCount === undefined) return;
  if (network.inputCount !== inputs || network.outputCount !== outputs) {
    throw new RangeError(
      `${where}: ${name} must have ${inputs} input(s) and ${outputs} output(s) here, got ` +
        `${network.inputCount} and ${network.outputCount}.`,
    );
  }
}

/**
 * Reads the conditioning from the options and the layers models: a generator with two inputs,
 * or the `classes` option, makes the trainer conditional; the discriminator's inputs and
 * outputs (or `discriminatorConditioning` for a function) say how it sees the class.
 */
export function resolveConditioning(
  options: TrainerOptions,
  generator: Network,
  discriminator: Network,
): Conditioning | undefined {
  let classes = options.classes;
  if (classes !== undefined) checkInteger(where, 'classes', classes, 2);
  const generatorTakesLabels = generator.inputCount === 2 || classes !== undefined;
  if (!generatorTakesLabels) {
    if (options.discriminatorConditioning !== undefined) {
      throw new TypeError(
        `${where}: discriminatorConditioning is only for a conditional trainer (with classes).`,
      );
    }
    if (options.auxiliaryHead !== undefined) return undefined;
    if ((discriminator.inputCount ?? 1) !== 1 || (discriminator.outputCount ?? 1) !== 1) {
      throw new RangeError(
        `${where}: the discriminator takes labels or has an auxiliary output (` +
          `${discriminator.inputCount} inputs, ${discriminator.outputCount} outputs), but the ` +
          'generator takes z only; give a conditional generator [z, labels] and classes.',
      );
    }
    return undefined;
  }
  if (generator.model) {
    checkCounts('generator', generator, 2, 1);
    const found = classesOfGenerator(generator.model);
    if (classes === undefined) classes = found;
    if (classes === undefined) {
      throw new TypeError(
        `${where}: classes is required for a generator taking [z, labels] whose labels do not ` +
          'feed an embedding layer (ClassEmbedding or Embedding).',
      );
    }
    if (found !== undefined && found !== classes) {
      throw new RangeError(
        `${where}: classes must match the generator's label embedding, ${found}, got ${classes}.`,
      );
    }
  }
  return {
    classes: classes!,
    ...discriminatorConditioning(options, discriminator, classes!),
  };
}

function discriminatorConditioning(
  options: TrainerOptions,
  discriminator: Network,
  classes: number,
): Omit<Conditioning, 'classes'> {
  let mode = options.discriminatorConditioning;
  if (mode !== undefined) {
    checkOneOf(where, 'discriminatorConditioning', mode, ['input', 'auxiliary'] as const);
  }
  if (discriminator.model) {
    const read = discriminator.inputCount === 2 ? 'input' : 'auxiliary';
    if (mode !== undefined && mode !== read) {
      throw new RangeError(
        `${where}: discriminatorConditioning must match the discriminator model, '${read}', ` +
          `got '${mode}'.`,
      );
    }
    mode = read;
    checkCounts('discriminator', discriminator, mode === 'input' ? 2 : 1, mode === 'input' ? 1 : 2);
    const classLogits = discriminator.model.outputs[1]?.shape;
    if (mode === 'auxiliary' && options.auxiliaryHead === undefined && classLogits[1] !== classes) {
      throw new RangeError(
        `${where}: the discriminator's class logits must be [batch, ${classes}], got ` +
          `${describeValue(classLogits.map((d) => (d === null ? '?' : d)))}.`,
      );
    }
  } else if (mode === undefined) {
    throw new TypeError(
      `${where}: discriminatorConditioning ('input' or 'auxiliary') is required for a ` +
        'function discriminator of a conditional trainer.',
    );
  }
  if (mode === 'input') {
    if (options.auxiliaryHead !== undefined) {
      throw new TypeError(
        `${where}: auxiliaryHead needs a discriminator with an auxiliary output ` +
          `(discriminatorConditioning 'auxiliary').`,
      );
    }
    return { discriminatorTakesLabels: true };
  }
  return { discriminatorTakesLabels: false, head: checkHead(options.auxiliaryHead) };
}

function checkHead(given: AuxiliaryHead | undefined): AuxiliaryHead {
  const head = given ?? auxiliaryClassifierHead();
  const ok =
    head !== null &&
    typeof head === 'object' &&
    typeof head.name === 'string' &&
    typeof head.discriminatorLoss === 'function' &&
    typeof head.generatorLoss === 'function';
  if (!ok) {
    throw new TypeError(
      `${where}: auxiliaryHead must be an object with name, discriminatorLoss and ` +
        `generatorLoss, got ${describeValue(head)}.`,
    );
  }
  return head;
}

/**
 * The auxiliary head of an unconditional trainer (e.g. InfoGAN's mutual-information head):
 * its discriminator takes samples and returns `[logits, auxiliary]`, and the head's loss sees
 * the fakes' latents. Absent when the trainer is conditional or has no head.
 */
export function resolveUnconditionalHead(
  options: TrainerOptions,
  conditioning: Conditioning | undefined,
  discriminator: Network,
): AuxiliaryHead | undefined {
  if (conditioning || options.auxiliaryHead === undefined) return undefined;
  const head = checkHead(options.auxiliaryHead);
  if (discriminator.model && (discriminator.inputCount !== 1 || discriminator.outputCount !== 2)) {
    throw new RangeError(
      `${where}: auxiliaryHead needs a discriminator taking samples and returning [logits, ` +
        `auxiliary] (1 input, 2 outputs), got ${discriminator.inputCount} input(s) and ` +
        `${discriminator.outputCount} output(s).`,
    );
  }
  return head;
}

/** How the discriminator is called: with labels, or returning an auxiliary output. */
export interface DiscriminatorRole {
  discriminatorTakesLabels: boolean;
}

/** The role of the discriminator of an unconditional trainer with an auxiliary head. */
export const UNCONDITIONAL_AUXILIARY: DiscriminatorRole = Object.freeze({
  discriminatorTakesLabels: false,
});

/** `[batch]` int32 labels drawn uniformly from `[0, classes)`. */
export function drawLabels(batch: number, classes: number, seed: number): tf.Tensor1D {
  return tf.randomUniformInt([batch], 0, classes, seed) as tf.Tensor1D;
}

/** Runs the generator on `z`, with the labels when conditional. */
export function generate(
  generator: Network,
  z: tf.Tensor,
  labels: tf.Tensor | undefined,
  training: boolean,
): tf.Tensor {
  return labels ? generator.call([z, labels], training)[0] : generator.apply(z, training);
}

/** Runs the discriminator on samples (with their labels when it takes them). */
export function discriminate(
  discriminator: Network,
  conditioning: DiscriminatorRole | undefined,
  samples: tf.Tensor,
  labels: tf.Tensor | undefined,
  training: boolean,
): Discriminated {
  if (!conditioning) return { logits: discriminator.apply(samples, training) };
  if (conditioning.discriminatorTakesLabels) {
    if (labels === undefined || labels.shape[0] !== samples.shape[0]) {
      throw new RangeError(
        `${where}: the discriminator needs one label per sample, got samples ` +
          `${describeValue(samples.shape)} and labels ${describeValue(labels?.shape)}.`,
      );
    }
    return { logits: discriminator.call([samples, labels], training)[0] };
  }
  const outputs = discriminator.call([samples], training);
  if (outputs.length === 2) return { logits: outputs[0], auxiliary: outputs[1] };
  // A function discriminator returns [batch, 1 + k]: the logit, then the auxiliary output.
  const joined = outputs[0];
  if (joined.rank !== 2 || joined.shape[1]! < 2) {
    throw new RangeError(
      `${where}: a function discriminator with an auxiliary output must return ` +
        `[batch, 1 + k] (logit, then auxiliary), got ${describeValue(joined.shape)}.`,
    );
  }
  return {
    logits: tf.slice(joined, [0, 0], [-1, 1]),
    auxiliary: tf.slice(joined, [0, 1], [-1, -1]),
  };
}
