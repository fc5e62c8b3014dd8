import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { classHistogram, classifierScore } from '../../src/metrics/classifier-score';
import { expectNoLeaks } from '../helpers/leaks';
import { expectRejects } from '../helpers/fixtures/throws';

describe('classifierScore', () => {
  it('is 1 when every prediction is uniform', async () => {
    // p(y|x) = p(y) for every x, so every KL term is 0 and exp(0) = 1.
    const uniform = tf.fill([5, 10], 0.1);
    expect(await expectNoLeaks(() => classifierScore(uniform))).toBeCloseTo(1, 6);
    uniform.dispose();
  });

  it('is the class count for confident predictions spread over all classes', async () => {
    // One-hot rows, one per class: p(y) = 1/10, each KL = 1·ln(1/(1/10)) = ln 10, exp → 10.
    const oneHot = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'int32'), 10);
    expect(await classifierScore(oneHot)).toBeCloseTo(10, 5);
    oneHot.dispose();
  });

  it('matches the formula on a hand-worked pair', async () => {
    // Rows (1, 0) and (½, ½): p(y) = (¾, ¼).
    // KL₁ = ln(1/¾) = 0.287682; KL₂ = ½ ln(½/¾) + ½ ln(½/¼) = 0.143841.
    // exp((0.287682 + 0.143841)/2) = exp(0.215762) = 1.240806.
    expect(
      await classifierScore([
        [1, 0],
        [0.5, 0.5],
      ]),
    ).toBeCloseTo(1.240806, 6);
  });

  it('refuses rows that do not sum to 1', async () => {
    await expectRejects(
      classifierScore([[2, -1]]),
      RangeError,
      'classifierScore: probabilities must be in [0, 1] (apply softmax to logits first), got 2 at row 0.',
    );
    await expectRejects(
      classifierScore([[0.5, 0.4]]),
      RangeError,
      'classifierScore: each row of probabilities must sum to 1, got 0.9 at row 0.',
    );
  });
});

describe('classHistogram', () => {
  it('counts each sample in its most probable class', async () => {
    // argmax: 0, 1, 0 → shares 2/3 and 1/3.
    const shares = await classHistogram([
      [0.9, 0.1],
      [0.2, 0.8],
      [0.6, 0.4],
    ]);
    expect(shares).toEqual([2 / 3, 1 / 3]);
  });
});
