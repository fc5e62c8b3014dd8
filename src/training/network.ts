import * as tf from '@tensorflow/tfjs';

import { describeValue } from '../errors';

/**
 * A network as a plain function over variables the caller owns: `(input, training)` to
 * output. `training` is `true` during updates and `false` when sampling.
 *
 * In a class-conditional {@link Trainer} the generator gets the labels `[batch]` int32 as a
 * third argument, and so does a discriminator with `discriminatorConditioning: 'input'`; a
 * discriminator with `'auxiliary'` returns `[batch, 1 + k]`: its logit in column 0 and its
 * auxiliary output (e.g. `k` class logits) in the other columns.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import type { NetworkFunction } from 'tfjs-gan';
 * const w = tf.variable(tf.randomNormal([2, 1]));
 * const critic: NetworkFunction = (x) => tf.matMul(x, w); // [batch, 2] -> [batch, 1]
 * ```
 * @category Training
 */
export type NetworkFunction = (
  input: tf.Tensor,
  training: boolean,
  labels?: tf.Tensor,
) => tf.Tensor;

/** One of the Trainer's two networks, whatever form the user gave it in. */
export interface Network {
  /** Runs the network on one input, for one output. */
  apply(input: tf.Tensor, training: boolean): tf.Tensor;
  /** Runs the network on its inputs (one or several), always returning a list of outputs. */
  call(inputs: tf.Tensor[], training: boolean): tf.Tensor[];
  /** Numbers of inputs and outputs of a layers model (unknown for a function). */
  inputCount?: number;
  outputCount?: number;
  /** The trainable variables that gradients are taken for. */
  variables(): tf.Variable[];
  /** Every variable that makes up the network's state, trainable or not (for checkpoints). */
  state(): tf.Variable[];
  /** The layers model, when the network is one. */
  model?: tf.LayersModel;
  /** The input shape with `null` for unknown sizes, when known. */
  inputShape?: (number | null)[];
}

/** Wraps a layers model or a function with its variables as a {@link Network}. */
export function toNetwork(
  name: 'generator' | 'discriminator',
  value: unknown,
  variables: unknown,
): Network {
  if (value instanceof tf.LayersModel) {
    if (variables !== undefined) {
      throw new TypeError(
        `Trainer: ${name}Variables is only for a function ${name}; a tf.LayersModel ` +
          'brings its own trainable weights.',
      );
    }
    const model = value;
    return {
      model,
      inputShape: model.inputs[0].shape,
      apply: (input, training) => model.apply(input, { training }) as tf.Tensor,
      call: (inputs, training) => {
        // Labels come as [batch]; an input declared [batch, 1] gets them as a column.
        const fitted = inputs.map((t, i) =>
          t.rank === 1 && model.inputs[i]?.shape.length === 2 ? tf.reshape(t, [-1, 1]) : t,
        );
        return asList(model.apply(fitted.length === 1 ? fitted[0] : fitted, { training }));
      },
      inputCount: model.inputs.length,
      outputCount: model.outputs.length,
      variables: () => model.trainableWeights.map((weight) => weight.read() as tf.Variable),
      // Batch-norm statistics and spectral-norm vectors are state too.
      state: () => model.weights.map((weight) => weight.read() as tf.Variable),
    };
  }
  if (typeof value !== 'function') {
    throw new TypeError(
      `Trainer: ${name} must be a tf.LayersModel or a function (input, training) => Tensor, ` +
        `got ${describeValue(value)}.`,
    );
  }
  const ok =
    Array.isArray(variables) &&
    variables.length > 0 &&
    variables.every((v) => v instanceof tf.Variable && v.trainable);
  if (!ok) {
    throw new TypeError(
      `Trainer: ${name}Variables must be a non-empty array of trainable tf.Variables when ` +
        `${name} is a function, got ${describeValue(variables)}.`,
    );
  }
  const fn = value as NetworkFunction;
  const list = [...(variables as tf.Variable[])];
  return {
    apply: (input, training) => fn(input, training),
    call: (inputs, training) => [fn(inputs[0], training, inputs[1])],
    variables: () => list,
    state: () => list,
  };
}

function asList(output: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[]) {
  return (Array.isArray(output) ? output : [output]) as tf.Tensor[];
}
