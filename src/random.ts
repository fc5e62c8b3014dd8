import seedrandom from 'seedrandom';

import { checkInteger, describeValue } from './errors';

/**
 * The state of a {@link RandomStream}: ARC4's two indices and its 256-byte permutation.
 *
 * @category Training
 */
export interface RandomStreamState {
  /** First index. */
  i: number;
  /** Second index. */
  j: number;
  /** The permutation of 0..255. */
  S: number[];
}

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
  private readonly generator: seedrandom.StatefulPRNG<seedrandom.State.Arc4>;

  /**
   * @param seed - any integer or string; the same seed gives the same stream.
   */
  constructor(seed: number | string) {
    if (typeof seed === 'number')
      checkInteger('RandomStream', 'seed', seed, Number.MIN_SAFE_INTEGER);
    else if (typeof seed !== 'string') {
      throw new TypeError(`RandomStream: seed must be an integer or a string, got ${typeof seed}.`);
    }
    this.generator = seedrandom(String(seed), { state: true });
  }

  /**
   * Rebuilds a stream at the point where {@link RandomStream.state} was taken: it continues
   * with exactly the numbers the original would have drawn next.
   *
   * @param state - a value returned by {@link RandomStream.state} (plain JSON).
   * @returns a new stream.
   * @throws TypeError when `state` is not such a value.
   */
  static fromState(state: RandomStreamState): RandomStream {
    const ok =
      state !== null &&
      typeof state === 'object' &&
      Number.isInteger(state.i) &&
      Number.isInteger(state.j) &&
      Array.isArray(state.S) &&
      state.S.length === 256 &&
      state.S.every((v) => Number.isInteger(v) && v >= 0 && v < 256);
    if (!ok) {
      throw new TypeError(
        'RandomStream.fromState: state must be { i, j, S } as returned by state(), with S a ' +
          `permutation of 256 bytes, got ${describeValue(state)}.`,
      );
    }
    const stream = Object.create(RandomStream.prototype) as RandomStream;
    const copy = { i: state.i, j: state.j, S: [...state.S] };
    (stream as unknown as { generator: unknown }).generator = seedrandom('', { state: copy });
    return stream;
  }

  /** The stream's current state, plain JSON, for checkpoints ({@link RandomStream.fromState}). */
  state(): RandomStreamState {
    const { i, j, S } = this.generator.state();
    return { i, j, S: [...S] };
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
