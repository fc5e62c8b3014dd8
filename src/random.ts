import seedrandom from 'seedrandom';

import { checkInteger } from './errors';

/**
 * One seeded stream of random numbers (built on seedrandom's ARC4 generator) that hands seeds
 * to every random TensorFlow.js op the library runs, so one seed fixes every draw.
 *
 * @example
 * ```ts
 * import { RandomStream } from 'tfjs-gan';
 * const random = new RandomStream(42);
 * const u = random.next();          // a float in [0, 1)
 * const seed = random.nextSeed();   // an integer seed for tf.randomNormal
 * ```
 * @category Training
 */
export class RandomStream {
  private readonly generator: seedrandom.PRNG;

  /**
   * @param seed - any integer or string; the same seed gives the same stream.
   */
  constructor(seed: number | string) {
    if (typeof seed === 'number') checkInteger('RandomStream', 'seed', seed, Number.MIN_SAFE_INTEGER);
    else if (typeof seed !== 'string') {
      throw new TypeError(`RandomStream: seed must be an integer or a string, got ${typeof seed}.`);
    }
    this.generator = seedrandom(String(seed), { state: true });
  }

  /** A float uniformly distributed in [0, 1). */
  next(): number {
    return this.generator.quick();
  }

  /** An integer seed in [0, 2^31) for a TensorFlow.js random op. */
  nextSeed(): number {
    return this.generator.int32() >>> 1;
  }

  /** An integer uniformly distributed in [0, n). */
  nextInt(n: number): number {
    checkInteger('RandomStream.nextInt', 'n', n, 1);
    return Math.floor(this.next() * n);
  }
}
