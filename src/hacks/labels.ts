import * as tf from '@tensorflow/tfjs';

import {
  checkInteger,
  checkInterval,
  checkNonNegative,
  checkOptions,
  checkPerSampleShape,
  checkRange,
  checkTensor,
} from '../errors';
import { RandomStream } from '../random';

/**
 * The mean sigmoid cross-entropy of logits against soft targets in any range:
 * `mean(max(x, 0) - x·t + log(1 + e^(-|x|)))`, which equals `-t·log σ(x) - (1-t)·log(1 - σ(x))`
 * for `t` in `[0, 1]` but never overflows, whatever the size of `x`.
 *
 * This is the discriminator loss to use with {@link discriminatorTargets}: call it once on
 * the real logits with the real targets and once on the fake logits with the fake targets,
 * and add the two.
 *
 * @see Goodfellow et al. 2014, "Generative Adversarial Nets", https://arxiv.org/abs/1406.2661
 * @param logits - raw discriminator outputs, shape `[batch]` or `[batch, 1]`; not disposed.
 * @param targets - one target per sample, shape `[batch]` or `[batch, 1]` (any real values;
 *   usually in `[0, 1]`, noisy targets may leave it); not disposed.
 * @returns a scalar, owned by the caller.
 * @throws TypeError when an argument is not a tensor.
 * @throws RangeError when a shape is not `[batch]` / `[batch, 1]` or the batch sizes differ.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { sigmoidCrossEntropyWithTargets } from 'tfjs-gan';
 * // max(2, 0) - 2·0.9 + log(1 + e^-2) = 2 - 1.8 + 0.126928 = 0.326928
 * sigmoidCrossEntropyWithTargets(tf.tensor1d([2]), tf.tensor1d([0.9])).print();
 * ```
 * @category Hacks
 */
export function sigmoidCrossEntropyWithTargets(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  const where = 'sigmoidCrossEntropyWithTargets';
  checkTensor(where, 'logits', logits);
  checkTensor(where, 'targets', targets);
  checkPerSampleShape(where, 'logits', logits.shape);
  const batch = logits.shape[0];
  checkPerSampleShape(where, 'targets', targets.shape, batch);
  return tf.tidy(() => {
    // [batch] or [batch, 1] → [batch]: one value per sample.
    const x = tf.reshape(tf.cast(logits, 'float32'), [batch]);
    const t = tf.reshape(tf.cast(targets, 'float32'), [batch]);
    const stableTail = tf.log1p(tf.exp(tf.neg(tf.abs(x))));
    return tf.mean(tf.add(tf.sub(tf.relu(x), tf.mul(x, t)), stableTail)) as tf.Scalar;
  });
}

/**
 * Label tricks for the discriminator's targets; the generator's targets are never changed.
 * Every field is optional; `{}` gives the plain targets 1 (real) and 0 (fake).
 *
 * @category Hacks
 */
export interface LabelTricks {
  /**
   * One-sided label smoothing: the real targets become `1 - smoothing`, the fake ones stay 0.
   * In `[0, 1)`; 0.1 is usual. Cannot be combined with `realRange`.
   * @defaultValue 0
   */
  smoothing?: number;
  /**
   * Noisy real targets: each drawn uniformly from `[lo, hi]`, e.g. `[0.7, 1.2]`.
   * @defaultValue every real target 1 (or `1 - smoothing`)
   */
  realRange?: [number, number];
  /**
   * Noisy fake targets: each drawn uniformly from `[lo, hi]`, e.g. `[0, 0.3]`.
   * @defaultValue every fake target 0
   */
  fakeRange?: [number, number];
  /**
   * The probability, in `[0, 1]`, that a sample's real and fake targets are swapped
   * (applied after the noise).
   * @defaultValue 0
   */
  flipProbability?: number;
}

/**
 * A batch of discriminator targets: `real[i]` for the i-th real sample, `fake[i]` for the
 * i-th generated one. Both `[batchSize]`, owned by the caller.
 *
 * @category Hacks
 */
export interface DiscriminatorTargets {
  /** Targets of the real samples, `[batchSize]`. */
  real: tf.Tensor1D;
  /** Targets of the generated samples, `[batchSize]`. */
  fake: tf.Tensor1D;
}

const LABEL_TRICKS = ['smoothing', 'realRange', 'fakeRange', 'flipProbability'];

function checkLabelTricks(where: string, spec: LabelTricks) {
  checkOptions(where, spec, LABEL_TRICKS);
  const smoothing = checkNonNegative(where, 'smoothing', spec.smoothing ?? 0);
  if (smoothing >= 1) {
    throw new RangeError(`${where}: smoothing must be in [0, 1), got ${smoothing}.`);
  }
  if (spec.smoothing !== undefined && spec.realRange !== undefined) {
    throw new RangeError(
      `${where}: smoothing and realRange cannot be combined; give the real targets' range only.`,
    );
  }
  const flip = checkRange(where, 'flipProbability', spec.flipProbability ?? 0, 0, 1);
  const range = (name: 'realRange' | 'fakeRange') =>
    spec[name] === undefined ? undefined : checkInterval(where, name, spec[name]);
  return { smoothing, flip, real: range('realRange'), fake: range('fakeRange') };
}

/** `count` values: uniform in `[lo, hi]` from `random` when a range is given, else `value`. */
function draw(
  random: RandomStream,
  count: number,
  range: [number, number] | undefined,
  value: number,
): Float32Array {
  const out = new Float32Array(count).fill(value);
  if (range !== undefined) {
    for (let i = 0; i < count; i++) out[i] = range[0] + (range[1] - range[0]) * random.next();
  }
  return out;
}

/**
 * Draws one batch of discriminator targets under the given {@link LabelTricks}, seeded.
 *
 * In order: the real targets are `1 - smoothing`, or uniform in `realRange`; the fake targets
 * are 0, or uniform in `fakeRange`; then each sample's pair is swapped with probability
 * `flipProbability`, so a flipped real sample gets that sample's (noisy) fake target and the
 * reverse. The random draws come from one {@link RandomStream} seeded with `seed`, in that
 * order (all real noise, all fake noise, then one flip draw per sample), and only for the
 * tricks in use.
 *
 * @see Salimans et al. 2016, "Improved Techniques for Training GANs", section 3.4 (one-sided
 *   label smoothing), https://arxiv.org/abs/1606.03498
 * @see Chintala et al. 2016, "How to Train a GAN? Tips and tricks to make GANs work", tips 6
 *   (noisy labels) and 6.1 (flipped labels), https://github.com/soumith/ganhacks
 * @param spec - the tricks; see {@link LabelTricks}.
 * @param batchSize - how many targets of each kind, an integer >= 1.
 * @param seed - an integer; the same seed gives the same targets.
 * @returns `{ real, fake }`, each `[batchSize]`, owned by the caller.
 * @throws TypeError when a field has the wrong type or `batchSize` / `seed` is not an integer.
 * @throws RangeError when a field is out of range, a range has `lo > hi`, `smoothing` and
 *   `realRange` are both given, or a field is unknown.
 * @example
 * ```ts
 * import { discriminatorTargets, type LabelTricks } from 'tfjs-gan';
 * const tricks: LabelTricks = { realRange: [0.7, 1.2], flipProbability: 0.05 };
 * const { real, fake } = discriminatorTargets(tricks, 64, 7); // two [64] tensors
 * real.dispose(); fake.dispose();
 * ```
 * @category Hacks
 */
export function discriminatorTargets(
  spec: LabelTricks,
  batchSize: number,
  seed: number,
): DiscriminatorTargets {
  const where = 'discriminatorTargets';
  const tricks = checkLabelTricks(where, spec);
  checkInteger(where, 'batchSize', batchSize, 1);
  checkInteger(where, 'seed', seed, Number.MIN_SAFE_INTEGER);
  const random = new RandomStream(seed);
  const real = draw(random, batchSize, tricks.real, 1 - tricks.smoothing);
  const fake = draw(random, batchSize, tricks.fake, 0);
  if (tricks.flip > 0) {
    for (let i = 0; i < batchSize; i++) {
      if (random.next() < tricks.flip) [real[i], fake[i]] = [fake[i], real[i]];
    }
  }
  return tf.tidy(() => ({ real: tf.tensor1d(real), fake: tf.tensor1d(fake) }));
}
