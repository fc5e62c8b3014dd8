import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { ExperienceReplay } from '../../src/hacks/replay';
import { expectNoLeaks } from '../helpers/leaks';

/** A batch `[values.length, 1]` holding one value per sample. */
const column = (values: number[]) => tf.tensor2d(values, [values.length, 1]);

function mixValues(replay: ExperienceReplay, fake: tf.Tensor, seed: number): number[] {
  const mixed = replay.mix(fake, seed);
  const values = Array.from(mixed.dataSync());
  mixed.dispose();
  return values;
}

describe('ExperienceReplay', () => {
  it('holds at most capacity samples', () => {
    // Capacity 5: 3 samples, then 3 + 3 = 6 → 5.
    const replay = new ExperienceReplay({ capacity: 5 });
    const batch = column([0, 1, 2]);
    replay.push(batch);
    expect(replay.size).toBe(3);
    replay.push(batch);
    expect(replay.size).toBe(5);
    batch.dispose();
    replay.dispose();
    expect(replay.size).toBe(0);
  });

  it('disposes evicted samples and all of them on dispose', () => {
    // Pushing 3 samples keeps 3 tensors; 3 more with capacity 5 keep 3 and dispose 1: 5.
    const first = column([0, 1, 2]);
    const second = column([3, 4, 5]);
    const before = tf.memory().numTensors;
    const replay = new ExperienceReplay({ capacity: 5 });
    replay.push(first);
    expect(tf.memory().numTensors).toBe(before + 3);
    replay.push(second);
    expect(tf.memory().numTensors).toBe(before + 5);
    replay.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([first, second]);
  });

  it('evicts the oldest samples first', () => {
    // 0 is the oldest of 0..5 in a pool of 5, so it is gone; with probability 1 all 200
    // samples are pooled ones. Each of 1..5 is missed by all 200 uniform draws with
    // probability (4/5)^200 ≈ 4e-20, so all five appear.
    const replay = new ExperienceReplay({ capacity: 5, probability: 1 });
    const first = column([0, 1, 2]);
    const second = column([3, 4, 5]);
    replay.push(first);
    replay.push(second);
    const zeros = tf.zeros([200, 1]);
    const seen = new Set(mixValues(replay, zeros, 4));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5]);
    tf.dispose([first, second, zeros]);
    replay.dispose();
  });

  it('returns the same values with probability 0 or an empty pool', () => {
    const fake = column([7, 8, 9]);
    const empty = new ExperienceReplay({ capacity: 4, probability: 1 });
    expect(mixValues(empty, fake, 1)).toEqual([7, 8, 9]);
    const never = new ExperienceReplay({ capacity: 4, probability: 0 });
    const old = column([1, 2]);
    never.push(old);
    expect(mixValues(never, fake, 1)).toEqual([7, 8, 9]);
    tf.dispose([fake, old]);
    empty.dispose();
    never.dispose();
  });

  it('replaces about probability of the samples', () => {
    // Pool of 100s, batch of 0s: replacements ~ Binomial(2000, 0.5), mean 1000, sd
    // √(2000·0.25) = 22.36; 5 sd = 112.
    const replay = new ExperienceReplay({ capacity: 10, probability: 0.5 });
    const old = tf.fill([10, 1], 100);
    replay.push(old);
    const zeros = tf.zeros([2000, 1]);
    const replaced = mixValues(replay, zeros, 8).filter((v) => v === 100).length;
    expect(Math.abs(replaced - 1000)).toBeLessThan(112);
    tf.dispose([old, zeros]);
    replay.dispose();
  });

  it('gives the same batch for the same seed', () => {
    const replay = new ExperienceReplay({ capacity: 8 });
    const old = column([1, 2, 3, 4, 5, 6, 7, 8]);
    replay.push(old);
    const fake = tf.zeros([32, 1]);
    expect(mixValues(replay, fake, 3)).toEqual(mixValues(replay, fake, 3));
    expect(mixValues(replay, fake, 3)).not.toEqual(mixValues(replay, fake, 4));
    tf.dispose([old, fake]);
    replay.dispose();
  });

  it('keeps its samples through an enclosing tidy and leaks nothing from mix', async () => {
    // Probability 1: every sample of the mix is a pooled one of ones, 5·3·3·1 = 45 values.
    const replay = new ExperienceReplay({ capacity: 4, probability: 1 });
    tf.tidy(() => replay.push(tf.ones([2, 3, 3, 1])));
    const fake = tf.zeros([5, 3, 3, 1]);
    await expectNoLeaks(() => replay.mix(fake, 2).dispose());
    expect(mixValues(replay, fake, 1)).toEqual(new Array(45).fill(1));
    tf.dispose(fake);
    replay.dispose();
  });

  it('rejects a batch of another sample shape and a capacity of 0 with the exact messages', () => {
    const replay = new ExperienceReplay({ capacity: 4 });
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([2, 4]);
    replay.push(a);
    expect(() => replay.mix(b, 1)).toThrow(
      new RangeError('ExperienceReplay.mix: fake must have shape [?,3], got [2,4].'),
    );
    expect(() => new ExperienceReplay({ capacity: 0 })).toThrow(
      new RangeError('ExperienceReplay: capacity must be an integer >= 1, got 0.'),
    );
    tf.dispose([a, b]);
    replay.dispose();
  });
});
