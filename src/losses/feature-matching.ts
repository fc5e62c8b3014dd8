import * as tf from '@tensorflow/tfjs';

import { checkSameShape, checkTensor } from '../errors';

/**
 * The feature matching generator loss: `‖mean_i f(real_i) - mean_i f(fake_i)‖₂²`, the
 * squared distance between the batch means of an intermediate discriminator layer's
 * features on real and on generated samples.
 *
 * The generator matches the statistics of the real data instead of maximising the
 * discriminator's output, which steadies training; use it with {@link featureMatchingTerm},
 * which taps the layer for you.
 *
 * @see Salimans et al. 2016, "Improved Techniques for Training GANs", section 3.1,
 *   https://arxiv.org/abs/1606.03498
 * @param realFeatures - features of real samples `[batch, ...]`.
 * @param fakeFeatures - features of generated samples, the same shape.
 * @returns a scalar: the squared difference of the means, summed over all features.
 * @throws TypeError when an argument is not a tensor.
 * @throws RangeError when the shapes differ or have no batch axis.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { featureMatchingLoss } from 'tfjs-gan';
 * const real = tf.tensor2d([[1, 2], [3, 4]]); // mean [2, 3]
 * const fake = tf.tensor2d([[0, 0], [2, 2]]); // mean [1, 1]
 * featureMatchingLoss(real, fake).print(); // 1² + 2² = 5
 * ```
 * @category Losses
 */
export function featureMatchingLoss(realFeatures: tf.Tensor, fakeFeatures: tf.Tensor): tf.Scalar {
  const where = 'featureMatchingLoss';
  checkTensor(where, 'realFeatures', realFeatures);
  checkTensor(where, 'fakeFeatures', fakeFeatures);
  checkSameShape(where, ['realFeatures', 'fakeFeatures'], [realFeatures.shape, fakeFeatures.shape]);
  if (realFeatures.rank === 0) {
    throw new RangeError(`${where}: realFeatures must have a batch axis, got shape [].`);
  }
  return tf.tidy(() => {
    const difference = tf.sub(tf.mean(realFeatures, 0), tf.mean(fakeFeatures, 0)); // [...features]
    return tf.sum(tf.square(difference)) as tf.Scalar;
  });
}
