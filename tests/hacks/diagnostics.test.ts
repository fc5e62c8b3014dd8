import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { CollapseDetector, FailureDetector, sampleDiversity } from '../../src/hacks/diagnostics';
import { expectNoLeaks } from '../helpers/leaks';

const diversity = (values: number[][] | number[][][]) =>
  tf.tidy(() => sampleDiversity(tf.tensor(values)).dataSync()[0]);

describe('sampleDiversity', () => {
  it('averages the distances between all pairs', () => {
    // [0,0]-[3,4]: 5; [0,0]-[0,4]: 4; [3,4]-[0,4]: 3. Mean (5 + 4 + 3)/3 = 4.
    expect(
      diversity([
        [0, 0],
        [3, 4],
        [0, 4],
      ]),
    ).toBeCloseTo(4, 5);
  });

  it('gives 0 for copies and flattens samples', () => {
    // Two copies: distance 0. Two [2, 2] samples of 0s and 1s: √4 = 2.
    expect(
      diversity([
        [1, 2],
        [1, 2],
      ]),
    ).toBe(0);
    expect(
      diversity([
        [
          [0, 0],
          [0, 0],
        ],
        [
          [1, 1],
          [1, 1],
        ],
      ]),
    ).toBeCloseTo(2, 5);
  });

  it('leaks nothing and rejects a batch of 1 with the exact message', async () => {
    const x = tf.randomNormal([6, 4, 4, 1], 0, 1, 'float32', 1);
    await expectNoLeaks(() => sampleDiversity(x).dispose());
    const one = tf.zeros([1, 3]);
    expect(() => sampleDiversity(one)).toThrow(
      new RangeError(
        'sampleDiversity: samples must have shape [batch, ...] with batch >= 2, got [1,3].',
      ),
    );
    tf.dispose([x, one]);
  });
});

describe('CollapseDetector', () => {
  it('warns once the mean ratio over the window falls below the threshold', () => {
    // Window 3, threshold 0.5. Ratios 1/2 = 0.5, 0.4/2 = 0.2, 0.2/2 = 0.1.
    // After 3 updates the mean is (0.5 + 0.2 + 0.1)/3 = 0.266667 < 0.5: a warning.
    const detector = new CollapseDetector({ threshold: 0.5, window: 3 });
    expect(detector.update(0, 1, 2)).toBeNull();
    expect(detector.update(1, 0.4, 2)).toBeNull();
    const warning = detector.update(2, 0.2, 2);
    expect(warning).toEqual({
      kind: 'mode-collapse',
      step: 2,
      message:
        'Generated samples are 0.267 times as diverse as real ones over the last 3 steps ' +
        '(threshold 0.5): the generator may be collapsing.',
    });
  });

  it('warns once per episode and again after recovering', () => {
    // Window 1: each ratio alone. 0.1 → warn; 0.1 → already warned; 1 → recovered; 0.1 → warn.
    const detector = new CollapseDetector({ threshold: 0.5, window: 1 });
    expect(detector.update(0, 0.1, 1)?.kind).toBe('mode-collapse');
    expect(detector.update(1, 0.1, 1)).toBeNull();
    expect(detector.update(2, 1, 1)).toBeNull();
    expect(detector.update(3, 0.1, 1)?.step).toBe(3);
  });

  it('stays quiet while the samples are as diverse as the data', () => {
    // Ratio 0.9/1 = 0.9 >= 0.5 on every step.
    const detector = new CollapseDetector();
    for (let step = 0; step < 30; step++) expect(detector.update(step, 0.9, 1)).toBeNull();
  });

  it('rejects a real diversity of 0 with the exact message', () => {
    expect(() => new CollapseDetector().update(0, 1, 0)).toThrow(
      new RangeError('CollapseDetector.update: realDiversity must be > 0, got 0.'),
    );
  });
});

describe('FailureDetector', () => {
  it('warns when the discriminator loss stays below the threshold for patience steps', () => {
    // Threshold 0.01, patience 3: losses 0.005, 0.001, 0.002 are three wins in a row; the
    // third warns, the fourth does not repeat it.
    const detector = new FailureDetector({ threshold: 0.01, patience: 3 });
    expect(detector.update(0, 0.005)).toBeNull();
    expect(detector.update(1, 0.001)).toBeNull();
    expect(detector.update(2, 0.002)).toEqual({
      kind: 'discriminator-wins',
      step: 2,
      message:
        'The discriminator loss has stayed below 0.01 for 3 steps (now 0.002): the ' +
        'discriminator wins and the generator may stop learning.',
    });
    expect(detector.update(3, 0.002)).toBeNull();
  });

  it('starts counting again after a loss at or above the threshold', () => {
    // Wins at 0 and 1, then 0.5 resets the count: steps 3 and 4 are wins 1 and 2 of 3.
    const detector = new FailureDetector({ threshold: 0.01, patience: 3 });
    for (const [step, loss] of [
      [0, 0.001],
      [1, 0.001],
      [2, 0.5],
      [3, 0.001],
      [4, 0.001],
    ]) {
      expect(detector.update(step, loss)).toBeNull();
    }
    expect(detector.update(5, 0.001)?.kind).toBe('discriminator-wins');
  });

  it('warns on every non-finite loss, naming the network', () => {
    const detector = new FailureDetector();
    expect(detector.update(7, NaN)).toEqual({
      kind: 'non-finite-loss',
      step: 7,
      message: 'The discriminator loss is NaN at step 7.',
    });
    expect(detector.update(8, 0.7, Infinity)?.message).toBe(
      'The generator loss is Infinity at step 8.',
    );
  });

  it('rejects a loss that is not a number with the exact message', () => {
    expect(() => new FailureDetector().update(0, '1' as unknown as number)).toThrow(
      new TypeError("FailureDetector.update: discriminatorLoss must be a number, got '1'."),
    );
  });
});
