import * as tf from '@tensorflow/tfjs';

import { checkNonNegative, checkOptions, checkTensor, describeValue } from '../errors';

/**
 * What an {@link AuxiliaryHead} sees: the discriminator's auxiliary output (the second output
 * of a discriminator that has two) on the fake and, in discriminator updates, the real batch,
 * with the labels each batch belongs to (in a conditional trainer) and the latents the fakes
 * were generated from. Everything is on the gradient tape of the update.
 *
 * @category Losses
 */
export interface AuxiliaryHeadContext {
  /**
   * The auxiliary output on the real batch, e.g. class logits `[batch, classes]`; given in
   * discriminator updates only.
   */
  realOutput?: tf.Tensor;
  /** The real batch's labels `[batch]` int32, as passed to `Trainer.step`; with `realOutput`. */
  realLabels?: tf.Tensor;
  /** The auxiliary output on the fake batch. */
  fakeOutput: tf.Tensor;
  /**
   * The labels the fake batch was generated from, `[batch]` int32; set in a conditional
   * trainer only.
   */
  fakeLabels?: tf.Tensor;
  /**
   * The latents `z [batch, latentDim]` the fake batch was generated from, e.g. the InfoGAN
   * codes that {@link mutualInformationHead} recovers. The {@link Trainer} always sets it.
   */
  latents?: tf.Tensor;
}

/**
 * A loss on a discriminator's auxiliary output, added by the {@link Trainer} to both
 * networks' losses: `discriminatorLoss` in every discriminator update, `generatorLoss` in
 * every generator update. Its values are reported in {@link StepResult.auxiliaryLoss}.
 * {@link auxiliaryClassifierHead} is the AC-GAN one; any object of this shape plugs in.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { auxiliaryClassifierLoss, type AuxiliaryHead } from 'tfjs-gan';
 * // Classify real samples only; the generator still gets the loss on its fakes.
 * const realOnly: AuxiliaryHead = {
 *   name: 'real-only-classifier',
 *   discriminatorLoss: ({ realOutput, realLabels }) =>
 *     auxiliaryClassifierLoss(realOutput!, realLabels!),
 *   generatorLoss: ({ fakeOutput, fakeLabels }) => auxiliaryClassifierLoss(fakeOutput, fakeLabels!),
 * };
 * ```
 * @category Losses
 */
export interface AuxiliaryHead {
  /** A short name for logs and checkpoints, e.g. `'auxiliary-classifier'`. */
  readonly name: string;
  /**
   * The discriminator's part, to minimise.
   * @param context - see {@link AuxiliaryHeadContext}; `realOutput` and `realLabels` are set.
   * @returns a scalar.
   */
  discriminatorLoss(context: AuxiliaryHeadContext): tf.Scalar;
  /**
   * The generator's part, to minimise.
   * @param context - see {@link AuxiliaryHeadContext}; only the fake fields are set.
   * @returns a scalar.
   */
  generatorLoss(context: AuxiliaryHeadContext): tf.Scalar;
}

/**
 * The mean softmax cross-entropy of class logits against integer labels,
 * `−mean_i log softmax(logits_i)[y_i]`, computed stably as `logsumexp(l_i) − l_i[y_i]`.
 *
 * @param classLogits - `[batch, classes]`; not disposed.
 * @param labels - class indices `[batch]` (any dtype holding integers in `[0, classes)`);
 *   not disposed.
 * @returns a scalar.
 * @throws TypeError when an argument is not a tensor; RangeError when the shapes disagree.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { auxiliaryClassifierLoss } from 'tfjs-gan';
 * const logits = tf.tensor2d([[0, 0]]);
 * auxiliaryClassifierLoss(logits, tf.tensor1d([1], 'int32')).print(); // ln 2 ≈ 0.6931
 * ```
 * @category Losses
 */
export function auxiliaryClassifierLoss(classLogits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const where = 'auxiliaryClassifierLoss';
  checkTensor(where, 'classLogits', classLogits);
  checkTensor(where, 'labels', labels);
  const [batch, classes] = classLogits.shape;
  if (classLogits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== batch) {
    throw new RangeError(
      `${where}: classLogits must be [batch, classes] and labels [batch], got ` +
        `${describeValue(classLogits.shape)} and ${describeValue(labels.shape)}.`,
    );
  }
  return tf.tidy(() => {
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), classes!); // [batch, classes]
    const picked = tf.sum(tf.mul(classLogits, oneHot), 1); // l_i[y_i], [batch]
    return tf.mean(tf.sub(tf.logSumExp(classLogits, 1), picked)) as tf.Scalar;
  });
}

/**
 * Options of {@link auxiliaryClassifierHead}.
 *
 * @category Losses
 */
export interface AuxiliaryClassifierHeadOptions {
  /** Weight of the classification loss in both networks' losses, >= 0. @defaultValue 1 */
  weight?: number;
  /**
   * Weight of the fake batch's classification loss within the discriminator's part, >= 0;
   * 0 trains the classifier on real samples only. @defaultValue 1
   */
  fakeWeight?: number;
}

/**
 * The AC-GAN head: the discriminator's auxiliary output is class logits, trained with the
 * classification cross-entropy ({@link auxiliaryClassifierLoss}) on the real batch with its
 * labels and on the fake batch with the labels it was generated from; the generator gets the
 * cross-entropy of its fakes, so it learns to make samples the discriminator assigns to the
 * asked class. Discriminator: `weight · (CE(real) + fakeWeight · CE(fake))`; generator:
 * `weight · CE(fake)`.
 *
 * @see Odena, Olah, Shlens 2017, "Conditional Image Synthesis with Auxiliary Classifier
 *   GANs", https://arxiv.org/abs/1610.09585
 * @param options - see {@link AuxiliaryClassifierHeadOptions}. @defaultValue `{}`
 * @returns an {@link AuxiliaryHead} named `'auxiliary-classifier'`.
 * @throws TypeError or RangeError when an option is invalid or unknown.
 * @example
 * ```ts
 * import { DCGAN, Trainer, auxiliaryClassifierHead } from 'tfjs-gan';
 * const gan = new DCGAN({ imageShape: [28, 28, 1], baseFilters: 8, classes: 10, conditioning: 'auxiliary' });
 * const trainer = new Trainer({
 *   generator: gan.generator,
 *   discriminator: gan.discriminator,
 *   classes: 10,
 *   auxiliaryHead: auxiliaryClassifierHead({ weight: 1, fakeWeight: 0 }),
 * });
 * trainer.dispose(); gan.dispose();
 * ```
 * @category Losses
 */
export function auxiliaryClassifierHead(
  options: AuxiliaryClassifierHeadOptions = {},
): AuxiliaryHead {
  const where = 'auxiliaryClassifierHead';
  checkOptions(where, options, ['weight', 'fakeWeight']);
  const weight = checkNonNegative(where, 'weight', options.weight ?? 1);
  const fakeWeight = checkNonNegative(where, 'fakeWeight', options.fakeWeight ?? 1);
  return Object.freeze<AuxiliaryHead>({
    name: 'auxiliary-classifier',
    discriminatorLoss: ({ realOutput, realLabels, fakeOutput, fakeLabels }) =>
      tf.tidy(() => {
        const real = auxiliaryClassifierLoss(realOutput!, realLabels!);
        const fake = auxiliaryClassifierLoss(fakeOutput, fakeLabels!);
        return tf.mul(weight, tf.add(real, tf.mul(fakeWeight, fake))) as tf.Scalar;
      }),
    generatorLoss: ({ fakeOutput, fakeLabels }) =>
      tf.tidy(() => tf.mul(weight, auxiliaryClassifierLoss(fakeOutput, fakeLabels!)) as tf.Scalar),
  });
}
