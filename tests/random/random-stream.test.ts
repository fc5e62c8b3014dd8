import { describe, expect, it } from 'vitest';

import { RandomStream } from '../../src';

describe('RandomStream', () => {
  it('gives the same numbers for the same seed and others for another seed', () => {
    const draw = (seed: number) => {
      const r = new RandomStream(seed);
      return [r.next(), r.nextSeed(), r.nextInt(10)];
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('resumes from a saved state with exactly the numbers the original draws next', () => {
    const original = new RandomStream('abc');
    for (let i = 0; i < 5; i++) original.next();
    // JSON round trip: the state is what a checkpoint stores.
    const state = JSON.parse(JSON.stringify(original.state()));
    const resumed = RandomStream.fromState(state);
    const next = (r: RandomStream) => [r.next(), r.nextSeed(), r.next()];
    expect(next(resumed)).toEqual(next(original));
  });

  it('draws floats in [0, 1) and integers in [0, n)', () => {
    const r = new RandomStream(3);
    for (let i = 0; i < 1000; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = r.nextInt(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
      const s = r.nextSeed();
      expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
    }
  });

  it('refuses bad seeds and states', () => {
    expect(() => new RandomStream(1.5)).toThrow('RandomStream: seed must be an integer, got 1.5.');
    expect(() => RandomStream.fromState({ i: 0, j: 0, S: [1, 2] })).toThrow(
      'RandomStream.fromState: state must be { i, j, S } as returned by state(), with S a ' +
        'permutation of 256 bytes, got an object.',
    );
  });
});
