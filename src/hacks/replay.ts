import * as tf from '@tensorflow/tfjs';

import {
  checkInteger,
  checkOptions,
  checkRange,
  checkShape,
  checkTensor,
  describeValue,
} from '../errors';
import { RandomStream } from '../random';

/**
 * Options of {@link ExperienceReplay}.
 *
 * @category Hacks
 */
export interface ExperienceReplayOptions {
  /** How many past samples the pool holds, an integer >= 1. */
  capacity: number;
  /**
   * The probability, in `[0, 1]`, that {@link ExperienceReplay.mix} replaces a sample of the
   * batch by a pooled one; 0.5 replays about half the batch, as Shrivastava et al. do.
   * @defaultValue 0.5
   */
  probability?: number;
}

/**
 * A bounded pool of past generated samples, replayed to the discriminator so that it keeps
 * rejecting what the generator produced earlier and the pair is less prone to oscillate
 * between modes.
 *
 * The pool holds up to `capacity` single samples as tensors it owns; when full, each new
 * sample evicts (and disposes) the oldest one. Each sample of a batch given to
 * {@link ExperienceReplay.mix} is replaced, with probability `probability`, by a pooled
 * sample chosen uniformly at random.
 *
 * @remarks Replayed samples carry no gradient to the generator: use the mixed batch in the
 * discriminator's update only. Call `mix` before `push` so a batch is never mixed with
 * itself.
 * @see Shrivastava et al. 2017, "Learning from Simulated and Unsupervised Images through
 *   Adversarial Training", section 2.3, https://arxiv.org/abs/1612.07828
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ExperienceReplay } from 'tfjs-gan';
 * const replay = new ExperienceReplay({ capacity: 256 });
 * const fake = tf.randomNormal([8, 2]);
 * const mixed = replay.mix(fake, 1); // a copy: the pool is still empty
 * replay.push(fake);                  // the pool now holds 8 samples
 * mixed.dispose(); fake.dispose(); replay.dispose();
 * ```
 * @category Hacks
 */
export class ExperienceReplay {
  /** The most samples the pool holds. */
  readonly capacity: number;
  /** The probability of replacing each sample in {@link ExperienceReplay.mix}. */
  readonly probability: number;
  private readonly pool: tf.Tensor[] = [];
  /** Index in `pool` of the oldest sample once the pool is full. */
  private oldest = 0;
  private sampleShape: number[] | undefined;

  /**
   * @param options - see {@link ExperienceReplayOptions}.
   * @throws TypeError or RangeError when an option is missing, invalid or unknown.
   */
  constructor(options: ExperienceReplayOptions) {
    const where = 'ExperienceReplay';
    checkOptions(where, options, ['capacity', 'probability']);
    this.capacity = checkInteger(where, 'capacity', options.capacity, 1);
    this.probability = checkRange(where, 'probability', options.probability ?? 0.5, 0, 1);
  }

  /** How many samples the pool holds now, at most {@link ExperienceReplay.capacity}. */
  get size(): number {
    return this.pool.length;
  }

  /**
   * Adds every sample of a batch to the pool (copies it keeps), evicting and disposing the
   * oldest samples beyond the capacity.
   *
   * @param fake - generated samples `[batch, ...sampleShape]`; not disposed. Every batch must
   *   have the sample shape of the first.
   * @throws TypeError when `fake` is not a tensor.
   * @throws RangeError when its sample shape differs from the pool's.
   */
  push(fake: tf.Tensor): void {
    this.checkBatch('ExperienceReplay.push', fake);
    this.sampleShape ??= fake.shape.slice(1);
    // tf.keep: the pool outlives any tidy this is called in.
    const samples = tf.tidy(() =>
      tf.unstack(tf.cast(fake, 'float32')).map((sample) => tf.keep(sample)),
    );
    for (const sample of samples) {
      if (this.pool.length < this.capacity) {
        this.pool.push(sample);
      } else {
        this.pool[this.oldest].dispose();
        this.pool[this.oldest] = sample;
        this.oldest = (this.oldest + 1) % this.capacity;
      }
    }
  }

  /**
   * A batch like `fake` in which each sample is replaced, with probability
   * {@link ExperienceReplay.probability}, by a pooled sample drawn uniformly (with
   * replacement). An empty pool gives a copy of `fake`.
   *
   * Random draws come from a {@link RandomStream} seeded with `seed`: for each sample in
   * order, one draw decides the replacement and, if replaced, one more picks the pooled
   * sample.
   *
   * @param fake - generated samples `[batch, ...sampleShape]`; not disposed.
   * @param seed - an integer; the same seed and pool give the same batch.
   * @returns `[batch, ...sampleShape]`, float32, owned by the caller.
   * @throws TypeError when `fake` is not a tensor or `seed` is not an integer.
   * @throws RangeError when its sample shape differs from the pool's.
   */
  mix(fake: tf.Tensor, seed: number): tf.Tensor {
    const where = 'ExperienceReplay.mix';
    this.checkBatch(where, fake);
    checkInteger(where, 'seed', seed, Number.MIN_SAFE_INTEGER);
    const random = new RandomStream(seed);
    const picks: (number | undefined)[] = [];
    for (let i = 0; i < fake.shape[0]; i++) {
      const replace = this.pool.length > 0 && random.next() < this.probability;
      picks.push(replace ? random.nextInt(this.pool.length) : undefined);
    }
    return tf.tidy(() => {
      const own = tf.unstack(tf.cast(fake, 'float32'));
      return tf.stack(picks.map((pick, i) => (pick === undefined ? own[i] : this.pool[pick])));
    });
  }

  /** Disposes every pooled sample and empties the pool. */
  dispose(): void {
    tf.dispose(this.pool);
    this.pool.length = 0;
    this.oldest = 0;
    this.sampleShape = undefined;
  }

  private checkBatch(where: string, fake: tf.Tensor): void {
    checkTensor(where, 'fake', fake);
    if (fake.rank < 1 || fake.shape[0] < 1) {
      const got = describeValue(fake.shape);
      throw new RangeError(`${where}: fake must have shape [batch, ...sampleShape], got ${got}.`);
    }
    if (this.sampleShape !== undefined) {
      checkShape(where, 'fake', fake.shape, [null, ...this.sampleShape]);
    }
  }
}
