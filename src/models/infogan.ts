import * as tf from '@tensorflow/tfjs';

import { describeValue } from '../errors';
import type { InfoGanCodes } from '../hacks/info-codes';

/** Units of the Q head's hidden dense layer (the paper's MNIST Q: FC 128, leaky ReLU). */
export const Q_HIDDEN_UNITS = 128;

/** Checks `infoCodes` against the other model options; returns the codes or `null`. */
export function resolveInfoCodes(
  where: string,
  codes: InfoGanCodes | undefined,
  latentDim: number | undefined,
  classes: number | undefined,
): InfoGanCodes | null {
  if (codes === undefined) return null;
  if (codes === null || typeof codes !== 'object' || typeof codes.sampler !== 'function') {
    throw new TypeError(
      `${where}: infoCodes must come from infoGanCodes, got ${describeValue(codes)}.`,
    );
  }
  if (classes !== undefined) {
    throw new TypeError(`${where}: infoCodes cannot be combined with classes.`);
  }
  if (latentDim !== undefined && latentDim !== codes.latentDim) {
    throw new RangeError(
      `${where}: latentDim must be the codes' latentDim, ${codes.latentDim}, got ${latentDim}.`,
    );
  }
  return codes;
}

/**
 * InfoGAN's Q head on the discriminator's features `h [batch, features]`: a dense layer of
 * {@link Q_HIDDEN_UNITS} with leaky ReLU, then a dense layer to `[batch, codes.auxiliaryDim]`.
 */
export function qHead(
  h: tf.SymbolicTensor,
  codes: InfoGanCodes,
  dense: (units: number) => tf.layers.Layer,
  leakyReluAlpha: number,
): tf.SymbolicTensor {
  let q = dense(Q_HIDDEN_UNITS).apply(h) as tf.SymbolicTensor;
  q = tf.layers.leakyReLU({ alpha: leakyReluAlpha }).apply(q) as tf.SymbolicTensor;
  return dense(codes.auxiliaryDim).apply(q) as tf.SymbolicTensor; // [batch, auxiliaryDim]
}
