import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { auxiliaryClassifierHead, auxiliaryClassifierLoss } from '../../src';
import { expectNoLeaks } from '../helpers/leaks';
import { track } from '../helpers/track';

describe('auxiliaryClassifierLoss', () => {
  it('is the mean softmax cross-entropy against the labels', async () => {
    // Both rows are [ln 2, 0]: logsumexp = ln(2 + 1) = ln 3.
    // Row 1, label 0: ln 3 - ln 2 = ln 1.5; row 2, label 1: ln 3 - 0 = ln 3.
    // Mean: (ln 1.5 + ln 3) / 2 = ln(4.5) / 2 = 0.7520393.
    const logits = track(tf.tensor2d([Math.LN2, 0, Math.LN2, 0], [2, 2]));
    const labels = track(tf.tensor1d([0, 1], 'int32'));
    const loss = track(auxiliaryClassifierLoss(logits, labels));
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(4.5) / 2, 6);
    await expectNoLeaks(() => auxiliaryClassifierLoss(logits, labels).dispose());
  });

  it('stays finite for large logits', () => {
    // [1000, 0], label 1: logsumexp ≈ 1000, so the loss is 1000 - 0 = 1000 (a naive softmax
    // would overflow to Infinity or NaN).
    const logits = track(tf.tensor2d([[1000, 0]]));
    const loss = track(auxiliaryClassifierLoss(logits, track(tf.tensor1d([1], 'int32'))));
    expect(loss.dataSync()[0]).toBeCloseTo(1000, 3);
  });

  it('refuses shapes that disagree', () => {
    const logits = track(tf.zeros([2, 3]));
    const labels = track(tf.zeros([3], 'int32'));
    expect(() => auxiliaryClassifierLoss(logits, labels)).toThrow(
      'auxiliaryClassifierLoss: classLogits must be [batch, classes] and labels [batch], got ' +
        '[2,3] and [3].',
    );
  });
});

describe('auxiliaryClassifierHead', () => {
  it('weighs the real and fake cross-entropies as documented', async () => {
    // Real row [ln 2, 0] with label 0: CE = ln 1.5; fake row [ln 2, 0] with label 1: CE = ln 3.
    // weight 2, fakeWeight 0.5: discriminator 2·(ln 1.5 + 0.5·ln 3) = ln(2.25·3) = ln 6.75;
    // generator 2·ln 3 = ln 9.
    const head = auxiliaryClassifierHead({ weight: 2, fakeWeight: 0.5 });
    const output = track(tf.tensor2d([[Math.LN2, 0]]));
    const context = {
      realOutput: output,
      realLabels: track(tf.tensor1d([0], 'int32')),
      fakeOutput: output,
      fakeLabels: track(tf.tensor1d([1], 'int32')),
    };
    const d = track(head.discriminatorLoss(context));
    const g = track(head.generatorLoss(context));
    await expectNoLeaks(() =>
      tf.dispose([head.discriminatorLoss(context), head.generatorLoss(context)]),
    );
    expect(d.dataSync()[0]).toBeCloseTo(Math.log(6.75), 5);
    expect(g.dataSync()[0]).toBeCloseTo(Math.log(9), 5);
    expect(head.name).toBe('auxiliary-classifier');
  });

  it('refuses an unknown option and a negative weight', () => {
    expect(() => auxiliaryClassifierHead({ wieght: 1 } as never)).toThrow(/wieght/);
    expect(() => auxiliaryClassifierHead({ weight: -1 })).toThrow(
      'auxiliaryClassifierHead: weight must be >= 0, got -1.',
    );
  });
});
