import * as tf from '@tensorflow/tfjs';

import { checkNonNegative, checkOptions, describeValue } from '../errors';
import type { InfoGanCodes } from '../hacks/info-codes';
import type { AuxiliaryHead, AuxiliaryHeadContext } from './auxiliary';

/**
 * Options of {@link mutualInformationHead}.
 *
 * @category Losses
 */
export interface MutualInformationHeadOptions {
  /** λ, the weight of the whole mutual-information loss in both networks' losses, >= 0. @defaultValue 1 */
  weight?: number;
  /** λ_cont, the weight of the continuous codes' part within it, >= 0. @defaultValue 1 */
  continuousWeight?: number;
}

/** The loss on one batch: `Σ_i CE_i + continuousWeight · NLL`, as a scalar. */
function informationLoss(
  codes: InfoGanCodes,
  continuousWeight: number,
  q: tf.Tensor,
  z: tf.Tensor,
): tf.Scalar {
  return tf.tidy(() => {
    const parts: tf.Scalar[] = [];
    let zAt = codes.noiseDim;
    let qAt = 0;
    for (const classes of codes.categorical) {
      const logits = tf.slice(q, [0, qAt], [-1, classes]); // [batch, K]
      const oneHot = tf.slice(z, [0, zAt], [-1, classes]); // [batch, K]
      // Cross-entropy against the one-hot code: logsumexp(l) − <l, c>.
      const picked = tf.sum(tf.mul(logits, oneHot), 1);
      parts.push(tf.mean(tf.sub(tf.logSumExp(logits, 1), picked)));
      zAt += classes;
      qAt += classes;
    }
    const n = codes.continuous;
    if (n > 0) {
      const c = tf.slice(z, [0, zAt], [-1, n]); // [batch, n]
      const mean = tf.slice(q, [0, qAt], [-1, n]);
      const squared = tf.square(tf.sub(c, mean));
      // Gaussian NLL without its constant ½·log 2π: log σ + ½((c − μ)/σ)², σ = 1 when fixed.
      const nll = codes.learnedStd
        ? tf.add(
            tf.slice(q, [0, qAt + n], [-1, n]),
            tf.mul(0.5, tf.mul(squared, tf.exp(tf.mul(-2, tf.slice(q, [0, qAt + n], [-1, n]))))),
          )
        : tf.mul(0.5, squared);
      parts.push(tf.mul(continuousWeight, tf.mean(tf.sum(nll, 1))) as tf.Scalar);
    }
    return tf.addN(parts) as tf.Scalar;
  });
}

/**
 * InfoGAN's mutual-information head: the discriminator's auxiliary output Q predicts the codes
 * a fake was generated from, and both networks minimise the negative of the variational lower
 * bound on `I(c; G(z, c))`: `weight · (Σ_i CE(Q_i(x), c_i) + continuousWeight · Σ_j NLL_j)`,
 * where `CE` is the softmax cross-entropy of each categorical code's logits against its
 * one-hot value and `NLL_j` the Gaussian negative log-likelihood of continuous code `c_j`
 * under `N(μ_j, σ_j²)` without its constant: `½(c_j − μ_j)²` with fixed variance (the
 * paper's MNIST setting), `log σ_j + ½((c_j − μ_j)/σ_j)²` with `learnedStd`. Means over the
 * batch. The same loss, on the fake batch only, is added to the discriminator's loss (Q and
 * the shared trunk learn to read the codes) and to the generator's (it learns to make them
 * readable). A Q that knows nothing scores `log K` per categorical code.
 *
 * @see Chen et al. 2016, "InfoGAN: Interpretable Representation Learning by Information
 *   Maximizing Generative Adversarial Nets", https://arxiv.org/abs/1606.03657
 * @param codes - the codes the trainer's `latentSampler` draws (see {@link infoGanCodes}).
 * @param options - see {@link MutualInformationHeadOptions}. @defaultValue `{}`
 * @returns an {@link AuxiliaryHead} named `'mutual-information'`; in a step it throws a
 *   RangeError when the auxiliary output is not `[batch, codes.auxiliaryDim]` or the latents
 *   not `[batch, codes.latentDim]`.
 * @throws TypeError or RangeError when an option is invalid or unknown.
 * @example
 * ```ts
 * import { DCGAN, Trainer, infoGanCodes, mutualInformationHead } from 'tfjs-gan';
 * const codes = infoGanCodes({ categorical: [10], continuous: 2, noiseDim: 62 });
 * const gan = new DCGAN({ imageShape: [28, 28, 1], baseFilters: 8, infoCodes: codes });
 * const trainer = new Trainer({
 *   generator: gan.generator,
 *   discriminator: gan.discriminator,
 *   latentSampler: codes.sampler,
 *   auxiliaryHead: mutualInformationHead(codes, { weight: 1, continuousWeight: 1 }),
 * });
 * trainer.dispose(); gan.dispose();
 * ```
 * @category Losses
 */
export function mutualInformationHead(
  codes: InfoGanCodes,
  options: MutualInformationHeadOptions = {},
): AuxiliaryHead {
  const where = 'mutualInformationHead';
  if (codes === null || typeof codes !== 'object' || typeof codes.sampler !== 'function') {
    throw new TypeError(
      `${where}: codes must come from infoGanCodes, got ${describeValue(codes)}.`,
    );
  }
  checkOptions(where, options, ['weight', 'continuousWeight']);
  const weight = checkNonNegative(where, 'weight', options.weight ?? 1);
  const continuousWeight = checkNonNegative(
    where,
    'continuousWeight',
    options.continuousWeight ?? 1,
  );
  const loss = ({ fakeOutput, latents }: AuxiliaryHeadContext): tf.Scalar => {
    const q = fakeOutput?.shape;
    const z = latents?.shape;
    if (
      q?.length !== 2 ||
      z?.length !== 2 ||
      q[0] !== z[0] ||
      q[1] !== codes.auxiliaryDim ||
      z[1] !== codes.latentDim
    ) {
      throw new RangeError(
        `${where}: the auxiliary output must be [batch, ${codes.auxiliaryDim}] and the latents ` +
          `[batch, ${codes.latentDim}], got ${describeValue(q)} and ${describeValue(z)}.`,
      );
    }
    return tf.tidy(
      () =>
        tf.mul(weight, informationLoss(codes, continuousWeight, fakeOutput, latents!)) as tf.Scalar,
    );
  };
  return Object.freeze<AuxiliaryHead>({
    name: 'mutual-information',
    discriminatorLoss: loss,
    generatorLoss: loss,
  });
}
