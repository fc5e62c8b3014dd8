import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  positionAt,
  resolveSchedule,
  stageReals,
  totalSteps,
} from '../../src/training/progressive-schedule';
import { expectNoLeaks } from '../helpers/leaks';

const W = 'ProgressiveTrainer';

describe('ProgressiveSchedule', () => {
  it('expands { fadeSteps, stableSteps } to every stage, the 4×4 one without a fade', () => {
    expect(resolveSchedule(W, { fadeSteps: 3, stableSteps: 2 }, 3)).toEqual([
      { resolution: 4, fadeSteps: 0, stableSteps: 2 },
      { resolution: 8, fadeSteps: 3, stableSteps: 2 },
      { resolution: 16, fadeSteps: 3, stableSteps: 2 },
    ]);
    // A list may stop before the final stage; missing counts are 0.
    expect(resolveSchedule(W, [{ stableSteps: 1 }, { fadeSteps: 4 }], 4)).toEqual([
      { resolution: 4, fadeSteps: 0, stableSteps: 1 },
      { resolution: 8, fadeSteps: 4, stableSteps: 0 },
    ]);
  });

  it('rejects bad schedules with exact messages', () => {
    const cases: [unknown, string][] = [
      [3, `${W}: schedule must be an array of stages or { fadeSteps, stableSteps }, got 3.`],
      [[], `${W}: schedule must have at least one stage, got [].`],
      [
        [{ stableSteps: 1 }, { stableSteps: 1 }, { stableSteps: 1 }, { stableSteps: 1 }],
        `${W}: schedule has 4 stages, but the model grows through 3 (4×4 to 16×16).`,
      ],
      [[5], `${W}: schedule[0] must be an object with fadeSteps and stableSteps, got 5.`],
      [
        [{ stableSteps: 1, fade: 2 }],
        `${W}: schedule[0] has an unknown key 'fade'; the keys are 'resolution', 'fadeSteps', 'stableSteps'.`,
      ],
      [
        [{ fadeSteps: 2, stableSteps: 1 }],
        `${W}: schedule[0].fadeSteps must be 0 (4×4 has nothing to fade in), got 2.`,
      ],
      [
        [{ stableSteps: 1 }, { fadeSteps: 0, stableSteps: 0 }],
        `${W}: schedule[1] must run at least one step (fadeSteps + stableSteps >= 1), got 0.`,
      ],
      [
        [{ stableSteps: 1 }, { fadeSteps: -1, stableSteps: 1 }],
        `${W}: schedule[1].fadeSteps must be an integer >= 0, got -1.`,
      ],
      [
        [{ stableSteps: 1 }, { fadeSteps: 1.5 }],
        `${W}: schedule[1].fadeSteps must be an integer, got 1.5.`,
      ],
      [
        [{ stableSteps: 1 }, { resolution: 16, stableSteps: 1 }],
        `${W}: schedule[1].resolution must be 8 (stage 1), got 16.`,
      ],
      [
        { fadeSteps: 2, stableSteps: 0 },
        `${W}: schedule.stableSteps must be an integer >= 1, got 0.`,
      ],
      [{ stableSteps: 2 }, `${W}: schedule.fadeSteps must be an integer, got undefined.`],
      [
        { fadeSteps: 2, stableSteps: 2, stages: 2 },
        `${W}: schedule has an unknown key 'stages'; the keys are 'fadeSteps', 'stableSteps'.`,
      ],
    ];
    for (const [schedule, message] of cases) {
      expect(() => resolveSchedule(W, schedule, 3)).toThrow(message);
    }
  });

  it('gives each step its stage, alpha and phase; alpha (j + 1) / F during a fade', () => {
    // Stage 0: steps 0–1 (stable); stage 1: fade of 4 (steps 2–5), stable 1 (step 6).
    const schedule = resolveSchedule(W, [{ stableSteps: 2 }, { fadeSteps: 4, stableSteps: 1 }], 2);
    expect(totalSteps(schedule)).toBe(7);
    const positions = Array.from({ length: 7 }, (_, step) => positionAt(schedule, step));
    expect(positions).toEqual([
      { stage: 0, stageStep: 0, alpha: 1, phase: 'stable' },
      { stage: 0, stageStep: 1, alpha: 1, phase: 'stable' },
      // Fade step j of 4 trains at (j + 1) / 4: 0.25, 0.5, 0.75, 1.
      { stage: 1, stageStep: 0, alpha: 0.25, phase: 'fade' },
      { stage: 1, stageStep: 1, alpha: 0.5, phase: 'fade' },
      { stage: 1, stageStep: 2, alpha: 0.75, phase: 'fade' },
      { stage: 1, stageStep: 3, alpha: 1, phase: 'fade' },
      { stage: 1, stageStep: 4, alpha: 1, phase: 'stable' },
    ]);
    expect(() => positionAt(schedule, 7)).toThrow(
      'positionAt: the schedule has 7 steps; step 7 is past its end.',
    );
  });

  it('pools real images to the stage and mixes them with their coarser version in a fade', async () => {
    // One 4×4 image whose 2×2 squares are constant apart from the top-left one:
    //   1 3 | 5 5
    //   5 7 | 5 5     avgPool 2×2 -> [[4, 5], [1, 1]]; avgPool 4×4 -> [[2.75]]
    //   ----+----
    //   1 1 | 1 1
    //   1 1 | 1 1
    const x = tf.tensor4d([1, 3, 5, 5, 5, 7, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1], [1, 4, 4, 1]);
    const at = async (resolution: number, alpha: number, fade: boolean) => {
      const y = stageReals(x, resolution, alpha, fade);
      const v = Array.from(await y.data());
      y.dispose();
      return v;
    };
    expect(await at(1, 1, true)).toEqual([2.75]);
    expect(await at(2, 1, true)).toEqual([4, 5, 1, 1]);
    expect(await at(4, 1, true)).toEqual(Array.from(x.dataSync()));
    // At 2×2 with alpha 0.5: 0.5·2.75 + 0.5·pooled = [3.375, 3.875, 1.875, 1.875].
    expect(await at(2, 0.5, true)).toEqual([3.375, 3.875, 1.875, 1.875]);
    expect(await at(2, 0.5, false)).toEqual([4, 5, 1, 1]);
    await expectNoLeaks(() => tf.dispose(stageReals(x, 2, 0.5, true)));
    x.dispose();
  });
});
