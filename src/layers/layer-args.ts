import * as tf from '@tensorflow/tfjs';

import { checkOptions } from '../errors';

/**
 * The arguments every TensorFlow.js layer takes (`name`, `inputShape`, `batchInputShape`,
 * `batchSize`, `dtype`, `trainable`, `weights`, `inputDType`), as `tf.layers.Layer`'s
 * constructor declares them.
 *
 * @category Layers
 */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Keys of {@link BaseLayerArgs}; a saved config holds some of them. */
const BASE_KEYS = [
  'name',
  'trainable',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'dtype',
  'weights',
  'inputDType',
] as const;

/**
 * Checks that `args` is an options object whose keys are the layer's own or the base ones.
 * `customObjects`, which `tf.loadLayersModel` adds to every saved config it rebuilds, is
 * accepted and not listed.
 */
export function checkLayerArgs(where: string, args: unknown, own: readonly string[]): void {
  let given = args;
  if (given !== null && typeof given === 'object' && !Array.isArray(given)) {
    const { customObjects: _ignored, ...rest } = given as Record<string, unknown>;
    given = rest;
  }
  checkOptions(where, given, [...own, ...BASE_KEYS]);
}

/**
 * The keyword arguments TensorFlow.js passes to a layer's `call` (`training`, `mask`), as a
 * plain object.
 *
 * @category Layers
 */
export type CallArgs = {
  /** `true` in training calls, when layers such as batch norm update their statistics. */
  training?: boolean;
} & Record<string, unknown>;

/** One shape from a `computeOutputShape` argument, which tfjs may wrap in a list. */
export function singleShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
}

/** The one tensor of a `call` argument, which tfjs may wrap in a list. */
export function singleTensor(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

const SHAPE_NAMES: Readonly<Record<number, string>> = {
  2: '[batch,features]',
  3: '[batch,steps,channels]',
  4: '[batch,height,width,channels]',
};

/**
 * Throws a `RangeError` unless `shape` has one of the `ranks`, naming the accepted shapes:
 * `<where>: input must have shape [batch,features] or [batch,height,width,channels], got [2,3,4].`
 */
export function checkInputRank(
  where: string,
  shape: readonly (number | null)[],
  ranks: readonly number[],
): void {
  if (ranks.includes(shape.length)) return;
  const wanted = ranks.map((r) => SHAPE_NAMES[r] ?? `rank ${r}`).join(' or ');
  const got = `[${shape.map((s) => (s == null ? '?' : s)).join(',')}]`;
  throw new RangeError(`${where}: input must have shape ${wanted}, got ${got}.`);
}
