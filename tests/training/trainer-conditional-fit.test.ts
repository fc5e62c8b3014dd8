import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  FormatError,
  MlpGAN,
  Trainer,
  featureMatchingTerm,
  type LossTerm,
  type StepResult,
} from '../../src';
import { checkpointDirectory } from '../../src/node';
import { ParallelTrainer } from '../../src/parallel';
import { expectRejects, expectThrows } from '../helpers/fixtures/throws';
import { track } from '../helpers/track';

/**
 * Function networks over 1-D samples: G(z, y) = y + 0·z·g, D(x, y) = x·w + y. The term
 * `pairing` is max |real − realLabels|, 0 when every real sample arrived with its own label.
 */
function pairedNetworks(discriminatorSteps = 1) {
  const g = track(tf.variable(tf.scalar(1)));
  const w = track(tf.variable(tf.ones([1, 1])));
  const pairing: LossTerm = {
    name: 'pairing',
    compute: ({ real, realLabels }) =>
      tf.tidy(() =>
        tf.max(tf.abs(tf.sub(tf.reshape(real, [-1]), tf.cast(realLabels!, 'float32')))),
      ) as tf.Scalar,
  };
  return track(
    new Trainer({
      generator: (z, _t, y) =>
        tf.add(tf.reshape(tf.cast(y!, 'float32'), [-1, 1]), tf.mul(tf.mul(z, 0), g)),
      generatorVariables: [g],
      discriminator: (x, _t, y) =>
        tf.add(tf.matMul(x, w), tf.reshape(tf.cast(y!, 'float32'), [-1, 1])),
      discriminatorVariables: [w],
      latentDim: 1,
      classes: 3,
      discriminatorConditioning: 'input',
      discriminatorTerms: [pairing],
      discriminatorSteps,
      realRange: null,
      seed: 1,
    }),
  );
}

/** Samples whose value is their class: 0, 1, 2, 0, 1, 2, ... */
function valuedByClass(count: number) {
  const classes = Array.from({ length: count }, (_, i) => i % 3);
  return {
    real: track(tf.tensor2d(classes, [count, 1])),
    labels: track(tf.tensor1d(classes, 'int32')),
  };
}

describe('Trainer.fit (class-conditional)', () => {
  it('shuffles one tensor of samples together with its labels', async () => {
    const trainer = pairedNetworks();
    const { real, labels } = valuedByClass(12);
    const pairing: number[] = [];
    const summary = await trainer.fit(real, {
      batchSize: 4,
      labels,
      onStepEnd: (r: StepResult) => void pairing.push(r.terms.pairing),
    });
    // 12 samples in batches of 4: 3 steps in the one epoch, every sample with its label.
    expect(summary.steps).toBe(3);
    expect(pairing).toEqual([0, 0, 0]);
  });

  it('takes labelled batches, also several per step', async () => {
    const trainer = pairedNetworks(2);
    const batches = [6, 6, 6, 6].map(valuedByClass);
    const summary = await trainer.fit(batches);
    // 4 batches, 2 per step (discriminatorSteps 2): 2 steps.
    expect(summary.steps).toBe(2);
    expect(summary.last!.terms.pairing).toBe(0);
  });

  it('takes a tf.data dataset of labelled batches', async () => {
    const trainer = pairedNetworks();
    const dataset = tf.data.array([valuedByClass(3), valuedByClass(3)]);
    const summary = await trainer.fit(dataset, { disposeBatches: false });
    // Two elements, one per step.
    expect(summary.steps).toBe(2);
    expect(summary.last!.terms.pairing).toBe(0);
  });

  it('refuses labels for batches and labels that do not fit the samples', async () => {
    const trainer = pairedNetworks();
    const { real, labels } = valuedByClass(6);
    await expectRejects(
      trainer.fit([real], { labels }),
      TypeError,
      'Trainer.fit: labels is only for data given as one tensor of samples; give batches as ' +
        '{ real, labels } instead.',
    );
    await expectRejects(
      trainer.fit(real, { batchSize: 2, labels: track(tf.zeros([5], 'int32')) }),
      TypeError,
      'Trainer.fit: labels must be int32 of shape [6] (one per sample), got int32 [5].',
    );
    await expectRejects(
      trainer.fit([{ real } as never]),
      TypeError,
      'Trainer.fit: each batch must be a tensor of real samples or { real, labels } tensors, ' +
        'got an object.',
    );
  });
});

describe('Trainer (class-conditional) with models', () => {
  const gan = (seed: number, conditioning: 'projection' | 'auxiliary' = 'projection') =>
    track(
      new MlpGAN({
        dataShape: [2],
        latentDim: 3,
        generatorUnits: [6],
        discriminatorUnits: [6],
        classes: 3,
        conditioning,
        labelEmbeddingDim: 2,
        seed,
      }),
    );
  const labelled = () =>
    [0, 1, 2, 3].map((s) => ({
      real: track(tf.randomNormal([6, 2], 0, 1, 'float32', s)),
      labels: track(tf.tensor1d([0, 1, 2, 2, 1, 0], 'int32')),
    }));

  it('resumes from a checkpoint with the same numbers as without stopping', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tfjs-gan-conditional-'));
    try {
      const store = checkpointDirectory(dir);
      const make = (seed: number) => {
        const g = gan(seed);
        return { g, trainer: track(new Trainer({ ...g, seed: 3, emaDecay: 0.9 })) };
      };
      const batches = labelled();
      const straight = make(1);
      const losses: number[] = [];
      for (const [i, { real, labels }] of batches.entries()) {
        const r = await straight.trainer.step(real, labels);
        losses.push(r.discriminatorLoss, r.generatorLoss);
        if (i === 1) await straight.trainer.saveCheckpoint(store);
      }
      const resumed = make(2);
      await resumed.trainer.loadCheckpoint(store);
      const again: number[] = [];
      for (const { real, labels } of batches.slice(2)) {
        const r = await resumed.trainer.step(real, labels);
        again.push(r.discriminatorLoss, r.generatorLoss);
      }
      expect(again).toEqual(losses.slice(4));
      const [a, b] = [straight, resumed].map((t) => track(t.trainer.sample(3, { labels: 1 })));
      expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));

      // The conditioning is part of the recorded configuration.
      const auxiliary = gan(1, 'auxiliary');
      const other = track(new Trainer({ ...auxiliary, seed: 3, emaDecay: 0.9 }));
      await expectRejects(
        other.loadCheckpoint(store),
        FormatError,
        'Trainer.loadCheckpoint: config.discriminatorConditioning does not match this ' +
          'trainer: expected "auxiliary", got "input".',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('feeds a projection discriminator its labels in feature matching', async () => {
    const g = gan(1);
    const layer = g.discriminator.layers.findIndex((l) => l.getClassName() === 'Dense');
    const trainer = track(
      new Trainer({ ...g, generatorTerms: [featureMatchingTerm({ layer })], seed: 1 }),
    );
    const [{ real, labels }] = labelled();
    const r = await trainer.step(real, labels);
    expect(Number.isFinite(r.terms['feature-matching'])).toBe(true);
  });

  it('splits a function discriminator output [batch, 1 + classes] for the auxiliary head', async () => {
    // D(x) = x·W with W [2, 4]: column 0 the logit, columns 1-3 the class logits.
    const w = track(tf.variable(tf.zeros([2, 4])));
    const g = gan(1);
    const trainer = track(
      new Trainer({
        generator: g.generator,
        discriminator: (x) => tf.matMul(x, w),
        discriminatorVariables: [w],
        discriminatorConditioning: 'auxiliary',
        seed: 1,
      }),
    );
    const [{ real, labels }] = labelled();
    const r = await trainer.step(real, labels);
    // All class logits are 0 before the update: the cross-entropy is ln 3 on real and fake,
    // so the discriminator's part is ln 3 + ln 3 = 2.1972246.
    expect(r.auxiliaryLoss!.discriminator).toBeCloseTo(2 * Math.log(3), 5);
  });

  it('is refused by ParallelTrainer', async () => {
    const g = gan(1);
    await expectRejects(
      ParallelTrainer.create({ generator: g.generator, discriminator: g.discriminator }),
      RangeError,
      'ParallelTrainer: class-conditional networks (a generator taking [z, labels]) are not ' +
        'supported by data-parallel training; use Trainer for them.',
    );
    expectThrows(
      () => new Trainer({ ...g, classes: 2.5 }),
      TypeError,
      'Trainer: classes must be an integer, got 2.5.',
    );
  });
});
