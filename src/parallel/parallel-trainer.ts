import * as tf from '@tensorflow/tfjs';

import { checkInteger, NonFiniteLossError } from '../errors';
import { RandomStream } from '../random';
import type { StepResult } from '../training/types';
import { resolveParallelOptions, type ParallelSetup, type ParallelTrainerOptions } from './options';
import type {
  GradientsRequest,
  InitRequest,
  LatentShard,
  ShardLosses,
  SlotBuffers,
} from './protocol';
import { modelRecipe, setModelWeights } from './recipe';
import { Replica } from './replica';
import { shardBounds, shardShares, shardSizes, weightedMean } from './shards';
import { checkRealBatches, realRangeError } from './real-batches';
import { WorkerFailure, WorkerPool } from './worker-pool';

type NetworkName = 'discriminator' | 'generator';
type ReplicaWeights = { generator: Float32Array[]; discriminator: Float32Array[] };

/** The real batches of one step, read once: values, shape, and the shards' row bounds. */
interface StepData {
  batches: { values: Float32Array; shape: number[] }[];
  bounds: number[];
  shares: number[];
}

/**
 * Trains a generator against a discriminator on several cores of a Node process: data-parallel
 * worker threads, each with its own TensorFlow.js backend and a replica of both networks.
 *
 * Every update cuts the batch into one shard per worker (real rows and latent rows alike);
 * each worker computes the gradient of the loss on its shard with the {@link tfjs-gan!Trainer}'s own
 * code, the gradients meet in shared memory, and every worker applies the same
 * share-weighted sum `Σ_i (n_i / n) · g_i` with its own copy of the optimiser. That sum is the
 * full batch's gradient, since every supported loss is a mean over samples, so the replicas
 * stay bit-identical and, for networks without batch normalisation, training follows the
 * one-core {@link tfjs-gan!Trainer} with the same seed up to float rounding.
 *
 * @remarks
 * - **Batch normalisation** normalises each shard over its own rows ("ghost batch norm"):
 *   the gradients, and so the training, differ from one core's. The moving statistics are
 *   averaged over the workers after every update, so the replicas stay identical and the
 *   statistics are those of the shards' means and variances. Minibatch standard deviation and
 *   minibatch discrimination layers likewise see only their shard.
 * - **Supported options**: the generator and discriminator as `tf.LayersModel`s made of
 *   TensorFlow.js's and this library's layers, `latentDim`, `seed`, `discriminatorSteps`,
 *   `generatorSteps`, `realRange`, `trainingKernels`, fresh optimisers of any tfjs class, and
 *   the loss pairs whose value is a mean over samples (non-saturating, minimax, cross-entropy
 *   with label smoothing, Wasserstein, hinge, least squares). Every other Trainer option
 *   (loss terms and penalties, label tricks, instance noise, replay, detectors, EMA, weight
 *   clipping, custom latent samplers, function networks, the relativistic losses) throws.
 * - Latents are drawn with {@link tfjs-gan!normalLatent} from the same random stream as the Trainer's.
 * - No events, `fit` or checkpoints: call {@link ParallelTrainer.syncModels} and save the
 *   models; the optimisers' moments stay in the workers.
 * - It pays off when a step is long (a convolutional network at a batch of dozens); for small
 *   networks the exchanges cost more than they save. Each worker needs memory for its own
 *   backend, both networks and both optimisers' moments. A batch needs one row per worker.
 * - Two workers only run twice as fast when the process gets two cores: on a busy machine,
 *   Linux may share the CPU between sessions rather than threads.
 * - Node only (worker threads, shared memory).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { DCGAN } from 'tfjs-gan';
 * import { ParallelTrainer } from 'tfjs-gan/node';
 * const gan = new DCGAN({ imageShape: [28, 28, 1], baseFilters: 8, seed: 1 });
 * const trainer = await ParallelTrainer.create({
 *   generator: gan.generator,
 *   discriminator: gan.discriminator,
 *   workers: 2,
 *   backend: 'wasm',
 *   seed: 1,
 * });
 * const real = tf.randomUniform([64, 28, 28, 1], -1, 1);
 * const { discriminatorLoss, generatorLoss } = await trainer.step(real);
 * await trainer.syncModels(); // gan.generator now holds the trained weights
 * await trainer.dispose();
 * real.dispose(); gan.dispose();
 * ```
 * @category Training
 */
export class ParallelTrainer {
  private random: RandomStream;
  private readonly sampleRandom: RandomStream;
  private completedSteps = 0;
  private busy = false;
  private failure?: string;

  private constructor(
    private readonly setup: ParallelSetup,
    private readonly pool: WorkerPool,
  ) {
    this.random = new RandomStream(setup.seed);
    this.sampleRandom = new RandomStream(`${setup.seed}:sample`);
  }

  /**
   * Starts the workers and gives each a replica of both networks and optimisers.
   *
   * @param options - see {@link ParallelTrainerOptions}.
   * @returns the trainer, once every worker is ready.
   * @throws TypeError or RangeError for a bad or unsupported option, before any worker starts;
   * Error with the worker's message when a worker cannot start (e.g. a layer it does not know).
   */
  static async create(options: ParallelTrainerOptions): Promise<ParallelTrainer> {
    const setup = resolveParallelOptions(options);
    const [generator, discriminator] = await Promise.all([
      modelRecipe(setup.generator),
      modelRecipe(setup.discriminator),
    ]);
    const lengths = Replica.slotLengths(setup.generator, setup.discriminator);
    const buffer = (floats: number) => new SharedArrayBuffer(floats * setup.workers * 4);
    const slots: SlotBuffers = {
      discriminator: buffer(lengths.discriminator),
      generator: buffer(lengths.generator),
      state: buffer(lengths.state),
    };
    const pool = new WorkerPool(setup.workers, setup.timeout);
    const init = (index: number): InitRequest => ({
      type: 'init',
      index,
      workers: setup.workers,
      backend: setup.backend,
      trainingKernels: setup.trainingKernels,
      generator,
      discriminator,
      loss: setup.loss,
      generatorOptimizer: setup.generatorOptimizer,
      discriminatorOptimizer: setup.discriminatorOptimizer,
      slots,
    });
    try {
      await pool.all((index) => [init(index)]);
    } catch (error) {
      await pool.terminate();
      throw new Error(`ParallelTrainer.create: ${(error as Error).message}`, { cause: error });
    }
    return new ParallelTrainer(setup, pool);
  }

  /** How many worker threads train. */
  get workers(): number {
    return this.pool.size;
  }

  /** How many steps this trainer has run. */
  get stepCount(): number {
    return this.completedSteps;
  }

  /** Length of the latent vectors. */
  get latentDim(): number {
    return this.setup.training.latentDim;
  }

  /**
   * Runs one training iteration, as {@link tfjs-gan!Trainer.step} does: `discriminatorSteps`
   * discriminator updates, then `generatorSteps` generator updates, each over all workers.
   *
   * @param real - real samples `[batch, ...discriminator input shape]` with `batch` at least
   * the number of workers, or an array of `discriminatorSteps` such batches of one size; not
   * disposed.
   * @returns the step's losses and scores, as the Trainer reports them (batch means; `terms`
   * empty, `warnings` empty).
   * @throws RangeError or TypeError for a bad batch, before any work.
   * @throws {@link tfjs-gan!NonFiniteLossError} when a loss is NaN or infinite; that update is not
   * applied on any worker.
   * @throws Error with the worker's message when a worker fails, exits or does not answer in
   * time; the trainer then stops its workers and can only be disposed.
   */
  async step(real: tf.Tensor | tf.Tensor[]): Promise<StepResult> {
    if (this.failure !== undefined) {
      throw new Error(
        `ParallelTrainer.step: the trainer stopped after a worker failed (${this.failure}); ` +
          'dispose it and create a new one.',
      );
    }
    const batches = checkRealBatches(this.setup, real);
    if (this.busy) {
      throw new Error('ParallelTrainer.step: a step is already running; await it before the next.');
    }
    this.busy = true;
    const start = performance.now();
    try {
      const data = await this.read(batches);
      const result = await this.iteration(data);
      result.seconds = (performance.now() - start) / 1000;
      return result;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Draws samples from the generator in inference mode (batch normalisation uses its moving
   * statistics), on the first worker.
   *
   * @param count - how many samples, an integer >= 1.
   * @param seed - seed of the latents; omit to continue the trainer's own sampling stream.
   * @returns `[count, ...sample shape]` on the main thread's backend, owned by the caller.
   */
  async sample(count: number, seed?: number): Promise<tf.Tensor> {
    checkInteger('ParallelTrainer.sample', 'count', count, 1);
    if (seed !== undefined) {
      checkInteger('ParallelTrainer.sample', 'seed', seed, Number.MIN_SAFE_INTEGER);
    }
    this.checkIdle('ParallelTrainer.sample');
    const request = { type: 'sample' as const, count, seed: seed ?? this.sampleRandom.nextSeed() };
    const { values, shape } = await this.guard(() =>
      this.pool.one<{ values: Float32Array; shape: number[] }>(0, request),
    );
    return tf.tensor(values, shape);
  }

  /**
   * Copies the workers' weights (batch-norm statistics included) into the `generator` and
   * `discriminator` given to {@link ParallelTrainer.create}, e.g. before saving them.
   */
  async syncModels(): Promise<void> {
    this.checkIdle('ParallelTrainer.syncModels');
    const weights = await this.guard(() => this.pool.one<ReplicaWeights>(0, { type: 'weights' }));
    setModelWeights(this.setup.generator, weights.generator);
    setModelWeights(this.setup.discriminator, weights.discriminator);
  }

  /**
   * Every worker's weights of both networks, in `model.weights` order, for checking that the
   * replicas agree.
   *
   * @internal
   */
  async replicaWeights(): Promise<ReplicaWeights[]> {
    this.checkIdle('ParallelTrainer.replicaWeights');
    return this.guard(() => this.pool.all(() => [{ type: 'weights' }]));
  }

  /** Stops every worker; resolves when all have exited. The models stay the caller's. */
  async dispose(): Promise<void> {
    this.failure ??= 'the trainer was disposed';
    await this.pool.terminate();
  }

  private checkIdle(where: string): void {
    if (this.busy) throw new Error(`${where}: a step is running; await it first.`);
    if (this.failure !== undefined) {
      throw new Error(`${where}: the trainer stopped (${this.failure}).`);
    }
  }

  /** Reads the batches once (distinct tensors only) and checks their range. */
  private async read(batches: tf.Tensor[]): Promise<StepData> {
    const cache = new Map<tf.Tensor, Float32Array>();
    for (const batch of batches) {
      if (!cache.has(batch)) cache.set(batch, (await batch.data()) as Float32Array);
    }
    const range = this.setup.training.realRange;
    if (range !== null) {
      for (const values of cache.values()) {
        const error = realRangeError(values, range);
        if (error) throw error;
      }
    }
    const sizes = shardSizes(batches[0].shape[0], this.pool.size);
    return {
      batches: batches.map((b) => ({ values: cache.get(b)!, shape: b.shape })),
      bounds: shardBounds(sizes),
      shares: shardShares(sizes),
    };
  }

  private async iteration(data: StepData): Promise<StepResult> {
    const { discriminatorSteps, generatorSteps } = this.setup.training;
    const step = this.completedSteps;
    const batch = data.batches[0].shape[0];
    const latent = (seed: number, w: number): LatentShard => ({
      seed,
      batch,
      from: data.bounds[w],
      to: data.bounds[w + 1],
    });
    let d: ShardLosses[] = [];
    for (let i = 0; i < discriminatorSteps; i++) {
      const real = data.batches[i] ?? data.batches[0];
      const seed = this.random.nextSeed();
      d = await this.update('discriminator', step, data.shares, (w) => {
        const rows = real.values.length / real.shape[0];
        const values = real.values.slice(data.bounds[w] * rows, data.bounds[w + 1] * rows);
        const shape = [data.bounds[w + 1] - data.bounds[w], ...real.shape.slice(1)];
        const request: GradientsRequest = {
          type: 'gradients',
          network: 'discriminator',
          step,
          real: { values, shape },
          latent: latent(seed, w),
        };
        return [request, [values.buffer]];
      });
    }
    let g: ShardLosses[] = [];
    for (let j = 0; j < generatorSteps; j++) {
      // The first generator update reuses the last discriminator update's latents.
      const seed = j === 0 ? undefined : this.random.nextSeed();
      g = await this.update('generator', step, data.shares, (w) => {
        const shard = seed === undefined ? undefined : latent(seed, w);
        return [{ type: 'gradients', network: 'generator', step, latent: shard }];
      });
    }
    this.completedSteps++;
    const mean = (values: ShardLosses[], key: keyof ShardLosses) =>
      weightedMean(
        values.map((v) => v[key] ?? NaN),
        data.shares,
      );
    return {
      step: this.completedSteps,
      discriminatorLoss: mean(d, 'loss'),
      generatorLoss: mean(g, 'loss'),
      realScore: mean(d, 'realScore'),
      fakeScore: mean(d, 'fakeScore'),
      terms: {},
      warnings: [],
      seconds: 0,
    };
  }

  /** One network update over all workers: gradients on every shard, then the summed update. */
  private async update(
    network: NetworkName,
    step: number,
    shares: number[],
    request: Parameters<WorkerPool['all']>[0],
  ): Promise<ShardLosses[]> {
    return this.guard(async () => {
      let losses: ShardLosses[];
      try {
        losses = await this.pool.all<ShardLosses>(request);
      } catch (error) {
        const data = error instanceof WorkerFailure ? error.error : undefined;
        if (data?.name !== 'NonFiniteLossError') throw error;
        // Nothing was applied; the forward passes moved the statistics, so re-align them.
        await this.pool.all(() => [{ type: 'syncState', shares }]);
        throw new NonFiniteLossError(step, network, data.value ?? NaN);
      }
      await this.pool.all(() => [{ type: 'apply', network, shares }]);
      return losses;
    });
  }

  /**
   * Runs `body`; a worker failure stops the trainer (its replicas may no longer agree) and is
   * rethrown with the worker's message. A non-finite loss is rethrown as it is.
   */
  private async guard<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof NonFiniteLossError || !(error instanceof WorkerFailure)) throw error;
      this.failure = error.message;
      await this.pool.terminate();
      throw new Error(`ParallelTrainer: ${error.message}`, { cause: error });
    }
  }
}
