import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  ExperienceReplay,
  FormatError,
  ProgressiveGAN,
  ProgressiveTrainer,
  Trainer,
  type ProgressiveSchedule,
  type ProgressiveStepResult,
} from '../../src';
import { checkpointDirectory } from '../../src/node';
import { track } from '../helpers/track';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tfjs-gan-progressive-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function makeGan(): ProgressiveGAN {
  return new ProgressiveGAN({
    imageShape: [16, 16, 1],
    latentDim: 4,
    baseFilters: 2,
    maxFilters: 4,
    seed: 1,
  });
}

/** 4×4 for 2 steps, 8×8 fading over 2 and stable for 1, 16×16 the same: 8 steps. */
const tiny: ProgressiveSchedule = [
  { stableSteps: 2 },
  { fadeSteps: 2, stableSteps: 1 },
  { fadeSteps: 2, stableSteps: 1 },
];

async function weightsOf(model: tf.LayersModel): Promise<number[][]> {
  return Promise.all(model.weights.map(async (w) => Array.from(await w.read().data())));
}

describe('ProgressiveTrainer', () => {
  it('runs a 4→8→16 schedule end to end with finite losses, growing at each stage', async () => {
    const images = track(tf.randomUniform([16, 16, 16, 1], -1, 1, 'float32', 2));
    const gan = track(makeGan());
    const trainer = track(new ProgressiveTrainer({ gan, schedule: tiny, seed: 3 }));
    const results: ProgressiveStepResult[] = [];
    const ends: unknown[] = [];
    const summary = await trainer.fit(images, {
      batchSize: 4,
      onStepEnd: (r) => {
        results.push(r);
      },
      onStageEnd: (end) => {
        ends.push(end);
      },
    });
    expect(summary).toMatchObject({ steps: 8, stoppedBy: 'steps' });
    // Step by step (derived from the schedule): stage, step within it, alpha (j + 1) / 2.
    expect(
      results.map((r) => [r.step, r.stage, r.resolution, r.stageStep, r.alpha, r.phase]),
    ).toEqual([
      [1, 0, 4, 1, 1, 'stable'],
      [2, 0, 4, 2, 1, 'stable'],
      [3, 1, 8, 1, 0.5, 'fade'],
      [4, 1, 8, 2, 1, 'fade'],
      [5, 1, 8, 3, 1, 'stable'],
      [6, 2, 16, 1, 0.5, 'fade'],
      [7, 2, 16, 2, 1, 'fade'],
      [8, 2, 16, 3, 1, 'stable'],
    ]);
    expect(ends).toEqual([
      { stage: 0, resolution: 4, step: 2 },
      { stage: 1, resolution: 8, step: 5 },
      { stage: 2, resolution: 16, step: 8 },
    ]);
    for (const r of results) {
      expect(Number.isFinite(r.discriminatorLoss) && Number.isFinite(r.generatorLoss)).toBe(true);
    }
    expect(gan.stage).toBe(2);
    expect(trainer.stepCount).toBe(8);
    const samples = trainer.sample(2, 5);
    expect(samples.shape).toEqual([2, 16, 16, 1]);
    samples.dispose();
    await expect(trainer.fit(images, { batchSize: 4 })).rejects.toThrow(
      'ProgressiveTrainer.fit: the schedule is complete (8 steps).',
    );
    await expect(trainer.step(images)).rejects.toThrow(
      'ProgressiveTrainer.step: the schedule is complete (8 steps); give a longer schedule to a new trainer to train on.',
    );
  });

  it('leaves the tensor count where it was once the trainer and the model are disposed', async () => {
    const images = track(tf.randomUniform([4, 16, 16, 1], -1, 1, 'float32', 2));
    const run = async () => {
      const gan = makeGan();
      const trainer = new ProgressiveTrainer({
        gan,
        schedule: tiny,
        seed: 3,
        generatorOptimizer: () => tf.train.adam(1e-3, 0, 0.99),
      });
      for (let i = 0; i < 8; i++) await trainer.step(images);
      trainer.dispose();
      gan.dispose();
    };
    await run(); // the first run registers kernels and gradients once per process
    const before = tf.memory().numTensors;
    await run();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes from a checkpoint inside a fade and at a stage boundary as if never stopped', async () => {
    const real = track(tf.randomUniform([4, 16, 16, 1], -1, 1, 'float32', 7));
    const schedule: ProgressiveSchedule = [{ stableSteps: 2 }, { fadeSteps: 3, stableSteps: 1 }];
    const build = () => {
      const gan = track(makeGan());
      return { gan, trainer: track(new ProgressiveTrainer({ gan, schedule, seed: 4 })) };
    };
    const straight = build();
    for (let i = 0; i < 2; i++) await straight.trainer.step(real);
    await straight.trainer.saveCheckpoint(checkpointDirectory(join(dir, 'boundary')));
    await straight.trainer.step(real);
    await straight.trainer.step(real);
    await straight.trainer.saveCheckpoint(checkpointDirectory(join(dir, 'fade')));
    for (let i = 0; i < 2; i++) await straight.trainer.step(real);
    const expected = await weightsOf(straight.gan.generator);
    const expectedCritic = await weightsOf(straight.gan.discriminator);

    for (const [name, step, stage, alpha] of [
      // After step 2 the 4×4 stage is complete; the next step grows.
      ['boundary', 2, 0, 1],
      // After step 4, fade step j = 1 of 3 trained at (1 + 1) / 3.
      ['fade', 4, 1, 2 / 3],
    ] as const) {
      const resumed = build();
      expect(await resumed.trainer.loadCheckpoint(checkpointDirectory(join(dir, name)))).toBe(step);
      expect([resumed.trainer.stepCount, resumed.gan.stage, resumed.trainer.alpha]).toEqual([
        step,
        stage,
        alpha,
      ]);
      while (resumed.trainer.stepCount < 6) await resumed.trainer.step(real);
      expect(await weightsOf(resumed.gan.generator)).toEqual(expected);
      expect(await weightsOf(resumed.gan.discriminator)).toEqual(expectedCritic);
    }
  });

  it('refuses a checkpoint of another schedule or of a plain Trainer, changing nothing', async () => {
    const real = track(tf.randomUniform([4, 16, 16, 1], -1, 1, 'float32', 7));
    const gan = track(makeGan());
    const trainer = track(new ProgressiveTrainer({ gan, schedule: tiny, seed: 4 }));
    await trainer.step(real);
    const store = checkpointDirectory(join(dir, 'a'));
    await trainer.saveCheckpoint(store);

    const otherGan = track(makeGan());
    const other = track(
      new ProgressiveTrainer({
        gan: otherGan,
        schedule: { fadeSteps: 1, stableSteps: 1 },
        seed: 4,
      }),
    );
    const error = await other.loadCheckpoint(store).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as Error).message).toBe(
      'ProgressiveTrainer.loadCheckpoint: the schedule does not match this trainer: expected ' +
        '{"schedule":[{"resolution":4,"fadeSteps":0,"stableSteps":1},{"resolution":8,"fadeSteps":1,"stableSteps":1},' +
        '{"resolution":16,"fadeSteps":1,"stableSteps":1}],"fadeReals":true}, got ' +
        '{"schedule":[{"resolution":4,"fadeSteps":0,"stableSteps":2},{"resolution":8,"fadeSteps":2,"stableSteps":1},' +
        '{"resolution":16,"fadeSteps":2,"stableSteps":1}],"fadeReals":true}.',
    );
    expect(other.stepCount).toBe(0);

    const plain = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed: 1 }),
    );
    const plainStore = checkpointDirectory(join(dir, 'plain'));
    await plain.saveCheckpoint(plainStore);
    await expect(other.loadCheckpoint(plainStore)).rejects.toThrow(
      'ProgressiveTrainer.loadCheckpoint: the checkpoint has no progressive state ' +
        '(state.progressive); it was not saved by a ProgressiveTrainer.',
    );
  });

  it('rejects bad options and batches with exact messages', async () => {
    const gan = track(makeGan());
    const replay = new ExperienceReplay({ capacity: 4 });
    expect(() => new ProgressiveTrainer({ gan, schedule: tiny, replay } as never)).toThrow(
      'ProgressiveTrainer: replay is not supported: its pool holds fakes of one resolution, ' +
        'and the resolution changes at every stage.',
    );
    expect(() => new ProgressiveTrainer({ gan: {} as never, schedule: tiny })).toThrow(
      'ProgressiveTrainer: gan must be a ProgressiveGAN, got an object.',
    );
    expect(
      () =>
        new ProgressiveTrainer({
          gan,
          schedule: tiny,
          generatorOptimizer: tf.train.sgd(1) as never,
        }),
    ).toThrow(
      'ProgressiveTrainer: generatorOptimizer must be a function that returns a new ' +
        'tf.Optimizer for each stage, got a SGDOptimizer.',
    );
    expect(
      () =>
        new ProgressiveTrainer({ gan, schedule: tiny, discriminatorOptimizer: () => 3 as never }),
    ).toThrow('ProgressiveTrainer: discriminatorOptimizer must return a tf.Optimizer, got 3.');
    expect(
      () => new ProgressiveTrainer({ gan, schedule: tiny, generator: gan.generator } as never),
    ).toThrow("ProgressiveTrainer: option 'generator' is not supported;");
    const grown = track(makeGan());
    grown.grow();
    expect(() => new ProgressiveTrainer({ gan: grown, schedule: tiny })).toThrow(
      'ProgressiveTrainer: gan must be at stage 0 (4×4), got stage 1 (8×8); the trainer grows it from the start.',
    );
    const trainer = track(new ProgressiveTrainer({ gan, schedule: tiny }));
    const small = track(tf.zeros([4, 8, 8, 1]));
    await expect(trainer.step(small)).rejects.toThrow(
      'ProgressiveTrainer.step: real must have shape [?,16,16,1], got [4,8,8,1].',
    );
    await expect(trainer.fit(small, { batchSize: 4, steps: 9 })).rejects.toThrow(
      'ProgressiveTrainer.fit: steps must be at most the 8 steps left in the schedule, got 9.',
    );
    await expect(trainer.fit(small)).rejects.toThrow(
      'ProgressiveTrainer.fit: batchSize is required when data is one tensor of samples.',
    );
  });
});
