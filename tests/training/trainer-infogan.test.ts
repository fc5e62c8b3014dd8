import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  DCGAN,
  ExperienceReplay,
  MlpGAN,
  Trainer,
  infoGanCodes,
  mutualInformationHead,
  type StepResult,
} from '../../src';
import { checkpointDirectory } from '../../src/node';
import { expectRejects, expectThrows } from '../helpers/fixtures/throws';
import { expectNoLeaks } from '../helpers/leaks';
import { track } from '../helpers/track';

// z = [noise 4, one-hot 3, continuous 1]: latentDim 8; Q = [3 logits, 1 mean]: 4 wide.
const codes = infoGanCodes({ categorical: [3], continuous: 1, noiseDim: 4 });
const tinyGan = (seed = 1) =>
  track(new DCGAN({ imageShape: [8, 8, 1], baseFilters: 4, infoCodes: codes, seed }));
const real = (seed = 3) => track(tf.randomUniform([6, 8, 8, 1], -1, 1, 'float32', seed));
const make = (gan: DCGAN, seed = 3) =>
  track(
    new Trainer({
      generator: gan.generator,
      discriminator: gan.discriminator,
      latentSampler: codes.sampler,
      auxiliaryHead: mutualInformationHead(codes),
      seed,
    }),
  );

describe('DCGAN (infoCodes)', () => {
  it('takes the codes as z and returns the logit and Q', () => {
    const gan = tinyGan();
    expect(gan.latentDim).toBe(8);
    expect(gan.generator.inputs[0].shape).toEqual([null, 8]);
    expect(gan.discriminator.outputs.map((o) => o.shape)).toEqual([
      [null, 1],
      [null, 4],
    ]);
    expect(gan.options.infoCodes).toBe(codes);
  });

  it('refuses classes and a latentDim other than the codes', () => {
    expectThrows(
      () => new DCGAN({ imageShape: [8, 8, 1], infoCodes: codes, classes: 3 }),
      TypeError,
      'DCGAN: infoCodes cannot be combined with classes.',
    );
    expectThrows(
      () => new DCGAN({ imageShape: [8, 8, 1], infoCodes: codes, latentDim: 10 }),
      RangeError,
      "DCGAN: latentDim must be the codes' latentDim, 8, got 10.",
    );
  });
});

describe('Trainer (auxiliaryHead without classes)', () => {
  it('runs InfoGAN steps with finite losses and no leaks', async () => {
    const trainer = make(tinyGan());
    expect(trainer.classes).toBeNull();
    const x = real();
    await trainer.step(x); // creates the optimisers' slots
    const results = await expectNoLeaks(async () => {
      const out: StepResult[] = [];
      for (let i = 0; i < 3; i++) out.push(await trainer.step(x));
      return out;
    });
    for (const r of results) {
      const { discriminator, generator } = r.auxiliaryLoss!;
      const numbers = [r.discriminatorLoss, r.generatorLoss, discriminator, generator];
      expect(numbers.every(Number.isFinite)).toBe(true);
      // CE ≥ 0 and ½(c − μ)² ≥ 0: the head's loss is never negative.
      expect(Math.min(discriminator, generator)).toBeGreaterThanOrEqual(0);
    }
    await expectNoLeaks(() => trainer.sample(2, 1).dispose());
  });

  it('hands the head the latents the fakes were generated from', async () => {
    const seen: number[][][] = [];
    const head = mutualInformationHead(codes);
    const trainer = track(
      new Trainer({
        generator: tinyGan().generator,
        discriminator: tinyGan().discriminator,
        latentSampler: codes.sampler,
        auxiliaryHead: {
          name: 'spy',
          discriminatorLoss: (c) => head.discriminatorLoss(c),
          generatorLoss: (c) => {
            seen.push(c.latents!.arraySync() as number[][]);
            return head.generatorLoss(c);
          },
        },
        seed: 5,
      }),
    );
    await trainer.step(real());
    // The trainer's sampler drew them: 6 rows of 8, a one-hot in columns 4-6.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(6);
    for (const row of seen[0]) expect(row.slice(4, 7).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('takes a function discriminator returning the logit and Q side by side', async () => {
    // z = [noise 1, one-hot 2]: latentDim 3; Q: 2 logits, so D returns [batch, 1 + 2].
    const small = infoGanCodes({ categorical: [2], noiseDim: 1 });
    const wg = track(tf.variable(tf.randomNormal([3, 2], 0, 1, 'float32', 1)));
    const wd = track(tf.variable(tf.zeros([2, 3])));
    const trainer = track(
      new Trainer({
        generator: (z) => tf.matMul(z, wg),
        generatorVariables: [wg],
        discriminator: (x) => tf.matMul(x, wd),
        discriminatorVariables: [wd],
        latentDim: 3,
        latentSampler: small.sampler,
        auxiliaryHead: mutualInformationHead(small),
        seed: 1,
      }),
    );
    const r = await trainer.step(track(tf.randomNormal([4, 2], 0, 1, 'float32', 2)));
    // D's weights start at zero, so Q's logits are [0, 0] in the discriminator update: the
    // cross-entropy against either value of the code is ln 2 ≈ 0.6931.
    expect(r.auxiliaryLoss!.discriminator).toBeCloseTo(Math.LN2, 6);
    expect(Number.isFinite(r.auxiliaryLoss!.generator)).toBe(true);
  });

  it('resumes from a checkpoint with the same numbers as without stopping', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tfjs-gan-infogan-'));
    try {
      const store = checkpointDirectory(dir);
      const batches = [1, 2, 3, 4].map((s) => real(s));
      const straight = make(tinyGan(1));
      const losses: number[] = [];
      for (const [i, x] of batches.entries()) {
        const r = await straight.step(x);
        losses.push(r.discriminatorLoss, r.generatorLoss, r.auxiliaryLoss!.generator);
        if (i === 1) await straight.saveCheckpoint(store);
      }
      const resumed = make(tinyGan(2));
      expect(await resumed.loadCheckpoint(store)).toBe(2);
      const again: number[] = [];
      for (const x of batches.slice(2)) {
        const r = await resumed.step(x);
        again.push(r.discriminatorLoss, r.generatorLoss, r.auxiliaryLoss!.generator);
      }
      expect(again).toEqual(losses.slice(6));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a discriminator without an auxiliary output, and replay', () => {
    const plain = track(
      new MlpGAN({ dataShape: [2], generatorUnits: [4], discriminatorUnits: [4] }),
    );
    const head = mutualInformationHead(codes);
    expectThrows(
      () => new Trainer({ ...plain, auxiliaryHead: head }),
      RangeError,
      'Trainer: auxiliaryHead needs a discriminator taking samples and returning [logits, ' +
        'auxiliary] (1 input, 2 outputs), got 1 input(s) and 1 output(s).',
    );
    const gan = tinyGan();
    const replay = track(new ExperienceReplay({ capacity: 4 }));
    expectThrows(
      () => new Trainer({ ...gan, auxiliaryHead: head, latentSampler: codes.sampler, replay }),
      RangeError,
      'Trainer: replay cannot be combined with an auxiliaryHead: replayed fakes carry no ' +
        'latents for the head.',
    );
    expectThrows(
      () => new Trainer({ ...gan, discriminatorConditioning: 'auxiliary' }),
      TypeError,
      'Trainer: discriminatorConditioning is only for a conditional trainer (with classes).',
    );
  });

  it('fails the step when Q does not fit the codes', async () => {
    // Q 5 + 1 = 6 wide, z 4 + 5 + 1 = 10 long; this trainer's are 4 and 8.
    const other = infoGanCodes({ categorical: [5], continuous: 1, noiseDim: 4 });
    const trainer = track(
      new Trainer({
        ...tinyGan(),
        latentSampler: codes.sampler,
        auxiliaryHead: mutualInformationHead(other),
        seed: 1,
      }),
    );
    await expectRejects(
      trainer.step(real()),
      RangeError,
      'mutualInformationHead: the auxiliary output must be [batch, 6] and the latents ' +
        '[batch, 10], got [6,4] and [6,8].',
    );
  });
});
