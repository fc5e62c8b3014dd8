import * as tf from '@tensorflow/tfjs';

import { checkInteger, describeValue } from '../errors';
import { RandomStream } from '../random';
import { drawLabels, type Conditioning } from './conditioning';

/**
 * Checks the labels given to `Trainer.step` against the batches: none for an unconditional
 * trainer; for a conditional one, int32 `[batch]` per batch, in the same form (one or an array).
 */
export function checkStepLabels(
  conditioning: Conditioning | undefined,
  real: tf.Tensor | tf.Tensor[],
  labels: unknown,
): tf.Tensor[] | undefined {
  const where = 'Trainer.step';
  if (!conditioning) {
    if (labels === undefined) return undefined;
    throw new TypeError(
      `${where}: labels were given, but this trainer is not conditional (no classes); ` +
        'pass the real batch only.',
    );
  }
  if (labels === undefined) {
    throw new TypeError(
      `${where}: labels are required for a conditional trainer (classes: ` +
        `${conditioning.classes}); pass int32 class indices [batch] after the real batch.`,
    );
  }
  const reals = Array.isArray(real) ? real : [real];
  if (
    Array.isArray(real) !== Array.isArray(labels) ||
    (Array.isArray(labels) && labels.length !== reals.length)
  ) {
    throw new RangeError(
      `${where}: labels must have the form of real (one tensor, or an array of ` +
        `${reals.length}), got ${describeValue(labels)}.`,
    );
  }
  const list = (Array.isArray(labels) ? labels : [labels]) as unknown[];
  list.forEach((l, i) => {
    const batch = reals[i].shape[0];
    const ok = l instanceof tf.Tensor && !l.isDisposed;
    if (!ok || l.dtype !== 'int32' || l.rank !== 1 || l.shape[0] !== batch) {
      const got = ok ? `${l.dtype} ${describeValue(l.shape)}` : describeValue(l);
      throw new TypeError(`${where}: labels must be int32 of shape [${batch}], got ${got}.`);
    }
  });
  return list as tf.Tensor[];
}

/** Refuses labels outside `[0, classes)` (one small read per batch). */
export async function checkLabelRange(
  where: string,
  labels: tf.Tensor[],
  classes: number,
): Promise<void> {
  for (const batch of labels) {
    const extremes = tf.tidy(() => tf.stack([tf.min(batch), tf.max(batch)]));
    const [min, max] = await extremes.data();
    extremes.dispose();
    if (!(min >= 0 && max < classes)) {
      throw new RangeError(
        `${where}: labels must be class indices in [0, ${classes - 1}], got values in ` +
          `[${min}, ${max}].`,
      );
    }
  }
}

/**
 * The labels of `Trainer.sample`: one class for all, one per sample (array or int32 tensor),
 * or, when none are given, drawn uniformly with `seed`.
 */
export function sampleLabels(
  count: number,
  classes: number,
  labels: number | number[] | tf.Tensor | undefined,
  seed: number,
): tf.Tensor1D {
  const where = 'Trainer.sample';
  if (labels === undefined) return drawLabels(count, classes, seed);
  const inRange = (value: unknown, name: string) => {
    checkInteger(where, name, value, 0);
    if ((value as number) >= classes) {
      throw new RangeError(
        `${where}: ${name} must be a class in [0, ${classes - 1}], got ${value}.`,
      );
    }
  };
  if (typeof labels === 'number') {
    inRange(labels, 'labels');
    return tf.fill([count], labels, 'int32') as tf.Tensor1D;
  }
  if (labels instanceof tf.Tensor) {
    if (labels.dtype !== 'int32' || labels.rank !== 1 || labels.shape[0] !== count) {
      throw new TypeError(
        `${where}: labels must be int32 of shape [${count}], got ${labels.dtype} ` +
          `${describeValue(labels.shape)}.`,
      );
    }
    // The caller's tensor is read once here so a bad class fails before the generator runs.
    labels.dataSync().forEach((value, i) => inRange(value, `labels[${i}]`));
    return tf.clone(labels) as tf.Tensor1D;
  }
  if (!Array.isArray(labels) || labels.length !== count) {
    throw new TypeError(
      `${where}: labels must be a class, an array of ${count} classes or an int32 tensor ` +
        `[${count}], got ${describeValue(labels)}.`,
    );
  }
  labels.forEach((value, i) => inRange(value, `labels[${i}]`));
  return tf.tensor1d(labels, 'int32');
}

/** The seed of the labels drawn for `Trainer.sample(count, { seed })` without labels. */
export function labelSeedOf(seed: number): number {
  return new RandomStream(`${seed}:labels`).nextSeed();
}
