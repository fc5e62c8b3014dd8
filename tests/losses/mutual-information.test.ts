import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { infoGanCodes, mutualInformationHead } from '../../src';
import { expectThrows } from '../helpers/fixtures/throws';
import { expectNoLeaks } from '../helpers/leaks';
import { track } from '../helpers/track';

// z = [noise, one-hot of 2, continuous]; Q = [logit, logit, mean (, log-std)].
const codes = infoGanCodes({ categorical: [2], continuous: 1, noiseDim: 1 });

describe('mutualInformationHead', () => {
  it('is the weighted cross-entropy plus half the squared error, on both sides', async () => {
    // Row 1: code [0, 1], c = 0.5; Q logits [ln 2, 0], mean -0.5.
    //   CE = logsumexp(ln 2, 0) − 0 = ln 3; ½(c − μ)² = ½·1² = 0.5.
    // Row 2: code [1, 0], c = -1; Q logits [ln 2, 0], mean 1.
    //   CE = ln 3 − ln 2 = ln 1.5; ½(−1 − 1)² = 2.
    // Means: CE (ln 3 + ln 1.5)/2 = ln(4.5)/2; squared part (0.5 + 2)/2 = 1.25.
    // weight 2, continuousWeight 0.5: 2·(ln(4.5)/2 + 0.5·1.25) = ln 4.5 + 1.25 ≈ 2.754077.
    const head = mutualInformationHead(codes, { weight: 2, continuousWeight: 0.5 });
    const context = {
      fakeOutput: track(
        tf.tensor2d([
          [Math.LN2, 0, -0.5],
          [Math.LN2, 0, 1],
        ]),
      ),
      latents: track(
        tf.tensor2d([
          [9, 0, 1, 0.5],
          [9, 1, 0, -1],
        ]),
      ),
    };
    const d = track(head.discriminatorLoss(context));
    const g = track(head.generatorLoss(context));
    expect(d.dataSync()[0]).toBeCloseTo(Math.log(4.5) + 1.25, 5);
    expect(g.dataSync()[0]).toBeCloseTo(Math.log(4.5) + 1.25, 5);
    expect(head.name).toBe('mutual-information');
    await expectNoLeaks(() => head.generatorLoss(context).dispose());
  });

  it('uses the Gaussian negative log-likelihood with learned log-stds', () => {
    // One row: code [0, 1], c = 0.5; Q logits [ln 2, 0], mean -0.5, log σ = ln 2.
    // CE = ln 3; NLL = log σ + ½((c − μ)/σ)² = ln 2 + ½·(1/2)² = ln 2 + 0.125.
    // Total (weights 1): ln 3 + ln 2 + 0.125 = ln 6 + 0.125 ≈ 1.916759.
    const learned = infoGanCodes({
      categorical: [2],
      continuous: 1,
      noiseDim: 1,
      learnedStd: true,
    });
    const head = mutualInformationHead(learned);
    const loss = track(
      head.generatorLoss({
        fakeOutput: track(tf.tensor2d([[Math.LN2, 0, -0.5, Math.LN2]])),
        latents: track(tf.tensor2d([[0, 0, 1, 0.5]])),
      }),
    );
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(6) + 0.125, 5);
  });

  it('scores log K for a Q that knows nothing', () => {
    // Uniform logits over K = 2 values: CE = ln 2 whatever the code; continuous weight 0.
    const head = mutualInformationHead(codes, { continuousWeight: 0 });
    const loss = track(
      head.generatorLoss({
        fakeOutput: track(
          tf.tensor2d([
            [0, 0, 5],
            [0, 0, -5],
          ]),
        ),
        latents: track(
          tf.tensor2d([
            [0, 1, 0, 0.1],
            [0, 0, 1, 0.2],
          ]),
        ),
      }),
    );
    expect(loss.dataSync()[0]).toBeCloseTo(Math.LN2, 6);
  });

  it('refuses outputs that do not fit the codes, and bad options', () => {
    const head = mutualInformationHead(codes);
    const fakeOutput = track(tf.zeros([2, 2]));
    const latents = track(tf.zeros([2, 4]));
    expectThrows(
      () => head.generatorLoss({ fakeOutput, latents }),
      RangeError,
      'mutualInformationHead: the auxiliary output must be [batch, 3] and the latents ' +
        '[batch, 4], got [2,2] and [2,4].',
    );
    expectThrows(
      () => mutualInformationHead(codes, { weight: -1 }),
      RangeError,
      'mutualInformationHead: weight must be >= 0, got -1.',
    );
    expectThrows(
      () => mutualInformationHead({} as never),
      TypeError,
      'mutualInformationHead: codes must come from infoGanCodes, got an object.',
    );
  });
});
