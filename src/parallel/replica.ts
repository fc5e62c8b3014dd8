/**
 * One worker's copy of both networks and both optimisers. It computes gradients on its shard
 * with the Trainer's own phases, and applies the share-weighted sum of every worker's
 * gradients, so all replicas take the same update and stay identical.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { normalLatent } from '../hacks/latent';
import { installTrainingKernels } from '../kernels/install';
import { RandomStream } from '../random';
import { resolveOptions, type TrainingSetup } from '../training/options';
import { discriminatorPhase, generatorPhase, type PhaseInput } from '../training/phases';
import type {
  ApplyRequest,
  GradientsRequest,
  InitRequest,
  ShardLosses,
  SlotBuffers,
} from './protocol';
import { lossFromName, modelFromRecipe, optimizerFromRecipe } from './recipe';
import { weightedSlotSum } from './shards';

type NetworkName = 'discriminator' | 'generator';

/** A list of variables laid out end to end in one float32 slot. */
class SlotLayout {
  readonly offsets: number[] = [];
  readonly length: number;

  constructor(readonly variables: tf.Variable[]) {
    let offset = 0;
    for (const v of variables) {
      this.offsets.push(offset);
      offset += v.size;
    }
    this.length = offset;
  }

  /** One float32 view per worker over a shared buffer of `[workers, length]`. */
  views(buffer: SharedArrayBuffer, workers: number): Float32Array[] {
    const bytes = this.length * Float32Array.BYTES_PER_ELEMENT;
    return Array.from(
      { length: workers },
      (_, w) => new Float32Array(buffer, w * bytes, this.length),
    );
  }
}

/**
 * Stands in for the optimiser inside the Trainer's phases: the phase computes the loss and
 * gradients exactly as the Trainer does, and this keeps the gradients instead of applying them.
 */
class GradientCapture {
  grads: tf.NamedTensorMap | null = null;

  applyGradients(grads: tf.NamedTensorMap): void {
    this.grads = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.clone(g)]));
  }
}

async function startBackend(backend: 'wasm' | 'cpu', kernels: boolean): Promise<void> {
  if (backend === 'wasm') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
    } catch (error) {
      throw new Error(
        `ParallelTrainer: backend 'wasm' needs the package @tensorflow/tfjs-backend-wasm ` +
          `(${(error as Error).message}).`,
      );
    }
  }
  if (!(await tf.setBackend(backend))) {
    throw new Error(`ParallelTrainer: backend '${backend}' failed to start in a worker.`);
  }
  await tf.ready();
  // The cpu backend prints a banner suggesting tfjs-node on first use; the caller chose cpu.
  if (backend === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  if (kernels) installTrainingKernels(backend);
}

/** A worker's replica of both networks and their optimisers. */
export class Replica {
  private real?: tf.Tensor;
  private z?: tf.Tensor;
  private readonly capture = new GradientCapture();
  private readonly layouts: Record<NetworkName, SlotLayout>;
  private readonly slots: Record<NetworkName | 'state', Float32Array[]>;
  private readonly state: SlotLayout;

  private constructor(
    private readonly init: InitRequest,
    private readonly setup: TrainingSetup,
    private readonly optimizers: Record<NetworkName, tf.Optimizer>,
  ) {
    const { generator, discriminator } = setup;
    this.layouts = {
      discriminator: new SlotLayout(discriminator.variables()),
      generator: new SlotLayout(generator.variables()),
    };
    const stateOf = (model: tf.LayersModel) =>
      model.nonTrainableWeights.map((w) => w.read() as tf.Variable);
    this.state = new SlotLayout([...stateOf(generator.model!), ...stateOf(discriminator.model!)]);
    const { slots, workers } = init;
    this.slots = {
      discriminator: this.layouts.discriminator.views(slots.discriminator, workers),
      generator: this.layouts.generator.views(slots.generator, workers),
      state: this.state.views(slots.state, workers),
    };
  }

  /** Starts the backend and rebuilds the networks and optimisers of `init`. */
  static async create(init: InitRequest): Promise<Replica> {
    await startBackend(init.backend, init.trainingKernels);
    const generator = await modelFromRecipe(init.generator);
    const discriminator = await modelFromRecipe(init.discriminator);
    const setup = resolveOptions({ generator, discriminator, loss: lossFromName(init.loss) });
    return new Replica(init, setup, {
      discriminator: optimizerFromRecipe(init.discriminatorOptimizer),
      generator: optimizerFromRecipe(init.generatorOptimizer),
    });
  }

  /** Floats per slot of each buffer, so the main thread can size {@link SlotBuffers}. */
  static slotLengths(
    generator: tf.LayersModel,
    discriminator: tf.LayersModel,
  ): Record<keyof SlotBuffers, number> {
    const count = (weights: tf.LayerVariable[]) => weights.reduce((n, w) => n + w.read().size, 0);
    return {
      discriminator: count(discriminator.trainableWeights),
      generator: count(generator.trainableWeights),
      state: count(generator.nonTrainableWeights) + count(discriminator.nonTrainableWeights),
    };
  }

  /**
   * Runs the Trainer's phase for `network` on this shard and writes the gradients to this
   * worker's slot; the state (batch-norm statistics, which the phase's forward passes moved)
   * goes to the state slot even when the loss is not finite.
   */
  async gradients(request: GradientsRequest): Promise<ShardLosses> {
    this.take(request);
    const input: PhaseInput = {
      setup: this.setup,
      optimizer: this.capture as unknown as tf.Optimizer,
      // No supported option draws from it; latents come from the main thread's seeds.
      random: new RandomStream(0),
      step: request.step,
      noise: 0,
    };
    try {
      const { network } = request;
      const result =
        network === 'discriminator'
          ? await discriminatorPhase(input, { real: this.real! }, { z: this.z! })
          : await generatorPhase(input, { real: this.real! }, { z: this.z! });
      const slot = this.slots[network][this.init.index];
      await this.writeSlot(this.layouts[network], slot, this.capture.grads!);
      return result;
    } finally {
      if (this.capture.grads) tf.dispose(this.capture.grads);
      this.capture.grads = null;
      await this.writeState();
    }
  }

  /** Applies the share-weighted sum of every worker's gradients, then averages the state. */
  apply(request: ApplyRequest): void {
    const layout = this.layouts[request.network];
    const slots = this.slots[request.network];
    const grads: tf.NamedTensorMap = {};
    layout.variables.forEach((v, k) => {
      const sum = weightedSlotSum(slots, request.shares, layout.offsets[k], v.size);
      grads[v.name] = tf.tensor(sum, v.shape);
    });
    try {
      this.optimizers[request.network].applyGradients(grads);
    } finally {
      tf.dispose(grads);
    }
    this.syncState(request.shares);
  }

  /** Sets every state variable to the share-weighted mean of the workers' state slots. */
  syncState(shares: number[]): void {
    this.state.variables.forEach((v, k) => {
      const sum = weightedSlotSum(this.slots.state, shares, this.state.offsets[k], v.size);
      const mean = tf.tensor(sum, v.shape);
      v.assign(mean);
      mean.dispose();
    });
  }

  /** `count` samples from `normalLatent(count, latentDim, seed)`, in inference mode. */
  async sample(count: number, seed: number): Promise<{ values: Float32Array; shape: number[] }> {
    const z = normalLatent(count, this.setup.latentDim, seed);
    const out = tf.tidy(() => this.setup.generator.apply(z, false));
    try {
      return { values: new Float32Array(await out.data()), shape: out.shape };
    } finally {
      tf.dispose([z, out]);
    }
  }

  /** Every weight of both networks, in `model.weights` order. */
  async weights(): Promise<{ generator: Float32Array[]; discriminator: Float32Array[] }> {
    const read = (model: tf.LayersModel) =>
      Promise.all(model.weights.map(async (w) => new Float32Array(await w.read().data())));
    return {
      generator: await read(this.setup.generator.model!),
      discriminator: await read(this.setup.discriminator.model!),
    };
  }

  /** Takes this request's real rows and latent rows, disposing the previous ones. */
  private take(request: GradientsRequest): void {
    if (request.real) {
      this.real?.dispose();
      this.real = tf.tensor(request.real.values, request.real.shape);
    }
    if (request.latent) {
      const { seed, batch, from, to } = request.latent;
      const latentDim = this.setup.latentDim;
      this.z?.dispose();
      this.z = tf.tidy(() => {
        // The Trainer's draw for the whole batch, [batch, latentDim] -> this shard's rows.
        const all = normalLatent(batch, latentDim, seed);
        return tf.slice(all, [from, 0], [to - from, latentDim]);
      });
    }
    if (!this.real || !this.z) {
      throw new Error('ParallelTrainer worker: gradients asked for before any real rows.');
    }
  }

  private async writeSlot(
    layout: SlotLayout,
    slot: Float32Array,
    grads: tf.NamedTensorMap,
  ): Promise<void> {
    for (let k = 0; k < layout.variables.length; k++) {
      slot.set(await grads[layout.variables[k].name].data(), layout.offsets[k]);
    }
  }

  private async writeState(): Promise<void> {
    const slot = this.slots.state[this.init.index];
    for (let k = 0; k < this.state.variables.length; k++) {
      slot.set(await this.state.variables[k].data(), this.state.offsets[k]);
    }
  }
}
