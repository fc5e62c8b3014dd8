/**
 * The shared plumbing of the adversarial losses: argument checks, per-sample shapes and the
 * reduction with optional weights. Internal; not exported from the package.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import {
  checkOneOf,
  checkOptions,
  checkPerSampleShape,
  checkSameShape,
  checkShape,
  checkTensor,
} from '../errors';
import type { LossOptions, ReducedLoss, Reduction } from './types';

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];
const BASE_OPTIONS = ['reduction', 'weights'] as const;

/** Per-sample values of a loss from `[batch]` logits, in the order given. */
export type PerSample = (...logits: tf.Tensor1D[]) => tf.Tensor1D;

function checkLossOptions(where: string, options: LossOptions, batch: number, extra: string[]) {
  checkOptions(where, options, [...BASE_OPTIONS, ...extra]);
  if (options.reduction !== undefined) {
    checkOneOf(where, 'reduction', options.reduction, REDUCTIONS);
  }
  if (options.weights !== undefined) {
    checkTensor(where, 'weights', options.weights);
    checkShape(where, 'weights', options.weights.shape, [batch]);
  }
}

/** Applies the weights and the reduction to per-sample values `[batch]`. */
function reduce<R extends Reduction>(values: tf.Tensor1D, options: LossOptions<R>): ReducedLoss<R> {
  const weighted = options.weights === undefined ? values : tf.mul(values, options.weights);
  switch (options.reduction ?? 'mean') {
    case 'none':
      return weighted as ReducedLoss<R>;
    case 'sum':
      return tf.sum(weighted) as ReducedLoss<R>;
    default:
      return tf.mean(weighted) as ReducedLoss<R>;
  }
}

/**
 * Checks one or two logit tensors (`[batch]` or `[batch, 1]`, equal shapes) and the options,
 * then computes `perSample` on the logits flattened to `[batch]` and reduces it, in a tidy.
 *
 * @param names - the parameter names of `logits`, for error messages.
 * @param extraOptions - option keys accepted besides `reduction` and `weights`.
 */
export function computeLoss<R extends Reduction>(
  where: string,
  names: readonly string[],
  logits: readonly tf.Tensor[],
  options: LossOptions<R>,
  perSample: PerSample,
  extraOptions: string[] = [],
): ReducedLoss<R> {
  logits.forEach((value, i) => checkTensor(where, names[i], value));
  checkPerSampleShape(where, names[0], logits[0].shape);
  for (let i = 1; i < logits.length; i++) {
    checkSameShape(where, [names[0], names[i]], [logits[0].shape, logits[i].shape]);
  }
  const batch = logits[0].shape[0];
  checkLossOptions(where, options, batch, extraOptions);
  return tf.tidy(() => {
    // [batch] or [batch, 1] → [batch]: one value per sample.
    const flat = logits.map((value) => tf.reshape(value, [batch]) as tf.Tensor1D);
    return reduce(perSample(...flat), options);
  });
}

/** `softplus(-x) = -log(sigmoid(x))`: cross-entropy against target 1, stable for any `x`. */
export function crossEntropyWithOne(logits: tf.Tensor1D): tf.Tensor1D {
  return tf.softplus(tf.neg(logits));
}

/** `softplus(x) = -log(1 - sigmoid(x))`: cross-entropy against target 0, stable for any `x`. */
export function crossEntropyWithZero(logits: tf.Tensor1D): tf.Tensor1D {
  return tf.softplus(logits);
}
