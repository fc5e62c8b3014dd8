import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  ExperienceReplay,
  MlpGAN,
  RandomStream,
  Trainer,
  gradientPenaltyTerm,
  r1PenaltyTerm,
  r2PenaltyTerm,
  type LossTerm,
  type StepResult,
} from '../../src';
import { expectRejects, expectThrows } from '../helpers/fixtures/throws';
import { expectNoLeaks } from '../helpers/leaks';
import { track } from '../helpers/track';

function tinyGan(conditioning: 'projection' | 'auxiliary', seed = 1): MlpGAN {
  return track(
    new MlpGAN({
      dataShape: [2],
      latentDim: 3,
      generatorUnits: [8],
      discriminatorUnits: [8],
      classes: 3,
      conditioning,
      labelEmbeddingDim: 2,
      seed,
    }),
  );
}

const real = () => track(tf.randomNormal([6, 2], 0, 1, 'float32', 3));
const labels = () => track(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'));
const withoutTime = ({ seconds: _, ...rest }: StepResult) => rest;

/**
 * Function networks with G(z, labels) = 10·(labels + 1) (z ignored), so a sample shows its
 * class exactly, and D(x, labels) = x·w + labels.
 */
function labelNetworks(seen: tf.Tensor[] = []) {
  const g = track(tf.variable(tf.scalar(1)));
  const w = track(tf.variable(tf.ones([1, 1])));
  const generator = (z: tf.Tensor, training: boolean, y?: tf.Tensor) => {
    if (training && seen.length === 0) seen.push(tf.keep(tf.clone(y!)));
    // [batch] -> [batch, 1]: 10·(y + 1)·g + 0·z
    const value = tf.mul(tf.reshape(tf.add(tf.cast(y!, 'float32'), 1), [-1, 1]), 10);
    return tf.add(tf.mul(value, g), tf.mul(z, 0));
  };
  const discriminator = (x: tf.Tensor, _training: boolean, y?: tf.Tensor) =>
    tf.add(tf.matMul(x, w), tf.reshape(tf.cast(y!, 'float32'), [-1, 1]));
  return {
    generator,
    generatorVariables: [g],
    discriminator,
    discriminatorVariables: [w],
    latentDim: 1,
    classes: 3,
    discriminatorConditioning: 'input' as const,
  };
}

describe('Trainer (class-conditional)', () => {
  it.each(['projection', 'auxiliary'] as const)(
    'steps a %s MlpGAN with labels: finite losses and no leaks over 3 steps',
    async (conditioning) => {
      const gan = tinyGan(conditioning);
      const trainer = track(
        new Trainer({
          generator: gan.generator,
          discriminator: gan.discriminator,
          discriminatorTerms: [gradientPenaltyTerm(), r1PenaltyTerm(), r2PenaltyTerm()],
          seed: 1,
        }),
      );
      expect(trainer.classes).toBe(3);
      const [x, y] = [real(), labels()];
      await trainer.step(x, y); // creates the optimisers' slots
      const results = await expectNoLeaks(async () => {
        const out: StepResult[] = [];
        for (let i = 0; i < 3; i++) out.push(await trainer.step(x, y));
        return out;
      });
      for (const r of results) {
        const numbers = [r.discriminatorLoss, r.generatorLoss, ...Object.values(r.terms)];
        expect(numbers.every(Number.isFinite)).toBe(true);
        if (conditioning === 'auxiliary') {
          expect(Number.isFinite(r.auxiliaryLoss!.discriminator)).toBe(true);
          expect(Number.isFinite(r.auxiliaryLoss!.generator)).toBe(true);
        } else {
          expect(r.auxiliaryLoss).toBeUndefined();
        }
      }
    },
  );

  it('gives the same numbers for the same seeds', async () => {
    const run = async () => {
      const gan = tinyGan('auxiliary', 4);
      const trainer = track(
        new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 9 }),
      );
      const out = [];
      for (let i = 0; i < 2; i++) out.push(withoutTime(await trainer.step(real(), labels())));
      return out;
    };
    expect(await run()).toEqual(await run());
  });

  it("draws the fakes' labels uniformly with the trainer's stream, right after z", async () => {
    const seen: tf.Tensor[] = [];
    const trainer = track(new Trainer({ ...labelNetworks(seen), seed: 5, realRange: null }));
    const x = track(tf.zeros([8, 1]));
    await trainer.step(x, track(tf.zeros([8], 'int32')));
    // The step draws z's seed first, then the labels' seed, from RandomStream(5).
    const stream = new RandomStream(5);
    stream.nextSeed();
    const expected = track(tf.randomUniformInt([8], 0, 3, stream.nextSeed()));
    expect(Array.from(await seen[0].data())).toEqual(Array.from(await expected.data()));
    tf.dispose(seen);
  });

  it('hands loss terms a discriminator that carries the labels', async () => {
    // |D(real) − realLogits| + |D(fake, fakeLabels) − fakeLogits| is 0 only if the context's
    // discriminator uses the real labels by default and the given ones otherwise.
    const check: LossTerm = {
      name: 'label-check',
      compute: (c) =>
        tf.tidy(() =>
          tf.add(
            tf.sum(tf.abs(tf.sub(c.discriminator(c.real), c.realLogits!))),
            tf.sum(tf.abs(tf.sub(c.discriminator(c.fake, c.fakeLabels), c.fakeLogits))),
          ),
        ) as tf.Scalar,
    };
    const trainer = track(
      new Trainer({ ...labelNetworks(), discriminatorTerms: [check], realRange: null, seed: 2 }),
    );
    const y = track(tf.tensor1d([2, 0, 1, 2], 'int32'));
    const result = await trainer.step(track(tf.ones([4, 1])), y);
    expect(result.terms['label-check']).toBe(0);
  });

  it('samples the chosen classes: one for all, one per sample, or a tensor', async () => {
    const trainer = track(new Trainer({ ...labelNetworks(), realRange: null, seed: 1 }));
    const values = async (options: Parameters<Trainer['sample']>[1]) => {
      const s = trainer.sample(3, options);
      const out = Array.from(await s.data());
      s.dispose();
      return out;
    };
    // G = 10·(label + 1): class 2 → 30, classes [0, 1, 2] → [10, 20, 30].
    expect(await values({ labels: 2, seed: 1 })).toEqual([30, 30, 30]);
    expect(await values({ labels: [0, 1, 2] })).toEqual([10, 20, 30]);
    const y = track(tf.tensor1d([1, 1, 0], 'int32'));
    expect(await values({ labels: y })).toEqual([20, 20, 10]);
    // Without labels they are drawn (seeded): every value is one of the classes' 10, 20, 30.
    const drawn = await values(4);
    expect(drawn.every((v) => [10, 20, 30].includes(v))).toBe(true);
    expect(await values(4)).toEqual(drawn);
    await expectNoLeaks(() => trainer.sample(3, { labels: 1 }).dispose());
  });

  it('keeps sample(n, seed) working for an unconditional trainer', async () => {
    const gan = track(new MlpGAN({ dataShape: [2], latentDim: 2, generatorUnits: [4], seed: 1 }));
    const trainer = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator }),
    );
    const [a, b] = [track(trainer.sample(2, 7)), track(trainer.sample(2, { seed: 7 }))];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
  });
});

describe('Trainer (class-conditional) errors', () => {
  const projection = () => {
    const gan = tinyGan('projection');
    return { generator: gan.generator, discriminator: gan.discriminator };
  };

  it('needs labels when conditional and refuses them when not', async () => {
    const conditional = track(new Trainer(projection()));
    await expectRejects(
      conditional.step(real()),
      TypeError,
      'Trainer.step: labels are required for a conditional trainer (classes: 3); pass int32 ' +
        'class indices [batch] after the real batch.',
    );
    const gan = track(new MlpGAN({ dataShape: [2], generatorUnits: [4], discriminatorUnits: [4] }));
    const plain = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator }),
    );
    await expectRejects(
      plain.step(real(), labels()),
      TypeError,
      'Trainer.step: labels were given, but this trainer is not conditional (no classes); ' +
        'pass the real batch only.',
    );
    expectThrows(
      () => plain.sample(2, { labels: 1 }),
      TypeError,
      'Trainer.sample: labels were given, but this trainer is not conditional.',
    );
  });

  it('refuses labels of the wrong dtype, shape or range', async () => {
    const trainer = track(new Trainer(projection()));
    await expectRejects(
      trainer.step(real(), track(tf.zeros([6]))),
      TypeError,
      'Trainer.step: labels must be int32 of shape [6], got float32 [6].',
    );
    await expectRejects(
      trainer.step(real(), track(tf.zeros([4], 'int32'))),
      TypeError,
      'Trainer.step: labels must be int32 of shape [6], got int32 [4].',
    );
    const bad = track(tf.tensor1d([0, 1, 2, 3, 0, 1], 'int32'));
    await expectRejects(
      trainer.step(real(), bad),
      RangeError,
      'Trainer.step: labels must be class indices in [0, 2], got values in [0, 3].',
    );
    expect(trainer.stepCount).toBe(0);
    expectThrows(
      () => trainer.sample(2, { labels: 3 }),
      RangeError,
      'Trainer.sample: labels must be a class in [0, 2], got 3.',
    );
    expectThrows(
      () => trainer.sample(2, { labels: [0] }),
      TypeError,
      'Trainer.sample: labels must be a class, an array of 2 classes or an int32 tensor [2], got [0].',
    );
  });

  it('refuses options that cannot work with labels or do not fit the networks', () => {
    const replay = track(new ExperienceReplay({ capacity: 4 }));
    expectThrows(
      () => new Trainer({ ...projection(), replay }),
      RangeError,
      'Trainer: replay cannot be combined with a conditional trainer (classes): replayed fakes ' +
        'carry no labels.',
    );
    expectThrows(
      () => new Trainer({ ...projection(), classes: 4 }),
      RangeError,
      "Trainer: classes must match the generator's label embedding, 3, got 4.",
    );
    expectThrows(
      () => new Trainer({ ...projection(), discriminatorConditioning: 'auxiliary' }),
      RangeError,
      "Trainer: discriminatorConditioning must match the discriminator model, 'input', got " +
        "'auxiliary'.",
    );
    const { discriminatorConditioning: _, ...functions } = labelNetworks();
    expectThrows(
      () => new Trainer(functions),
      TypeError,
      "Trainer: discriminatorConditioning ('input' or 'auxiliary') is required for a function " +
        'discriminator of a conditional trainer.',
    );
    const head = {
      name: 'h',
      discriminatorLoss: () => tf.scalar(0),
      generatorLoss: () => tf.scalar(0),
    };
    expectThrows(
      () => new Trainer({ ...labelNetworks(), auxiliaryHead: head }),
      TypeError,
      'Trainer: auxiliaryHead needs a discriminator with an auxiliary output ' +
        "(discriminatorConditioning 'auxiliary').",
    );
    const plain = track(
      new MlpGAN({ dataShape: [2], generatorUnits: [4], discriminatorUnits: [4] }),
    );
    expectThrows(
      () => new Trainer({ generator: plain.generator, discriminator: projection().discriminator }),
      RangeError,
      'Trainer: the discriminator takes labels or has an auxiliary output (2 inputs, 1 outputs), ' +
        'but the generator takes z only; give a conditional generator [z, labels] and classes.',
    );
  });
});
