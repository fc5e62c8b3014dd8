/**
 * The messages between a {@link ParallelTrainer} and its worker threads. Every request carries
 * an `id`; the worker answers each with one {@link Reply} of the same `id`, in order.
 *
 * @module
 */

/** A network's architecture and weights, as a worker rebuilds it. */
export interface ModelRecipe {
  /** `model.toJSON(null, false)`: the topology, as `tf.models.modelFromJSON` reads it. */
  topology: object;
  /** Every weight in `model.weights` order (trainable and not), as float32 values. */
  weights: Float32Array[];
}

/** A tfjs optimiser by its registered class name and its `getConfig()`. */
export interface OptimizerRecipe {
  className: string;
  config: Record<string, unknown>;
}

/** Where a worker's gradients go: one slot of `slotLength` floats per worker. */
export interface SlotBuffers {
  /** `[workers, discriminator trainable floats]`. */
  discriminator: SharedArrayBuffer;
  /** `[workers, generator trainable floats]`. */
  generator: SharedArrayBuffer;
  /** `[workers, non-trainable floats of generator then discriminator]` (batch-norm statistics). */
  state: SharedArrayBuffer;
}

/** Everything a worker needs to become a replica. */
export interface InitRequest {
  type: 'init';
  /** This worker's index, which is also its slot. */
  index: number;
  workers: number;
  backend: 'wasm' | 'cpu';
  trainingKernels: boolean;
  generator: ModelRecipe;
  discriminator: ModelRecipe;
  /** The loss pair's name, e.g. `'non-saturating'`. */
  loss: string;
  generatorOptimizer: OptimizerRecipe;
  discriminatorOptimizer: OptimizerRecipe;
  slots: SlotBuffers;
}

/** The rows `[from, to)` of the latent batch `normalLatent(batch, latentDim, seed)`. */
export interface LatentShard {
  seed: number;
  batch: number;
  from: number;
  to: number;
}

/** Computes one network's gradients on this worker's shard and writes them to its slot. */
export interface GradientsRequest {
  type: 'gradients';
  network: 'discriminator' | 'generator';
  /** 0-based index of the step. */
  step: number;
  /** This worker's real rows; omitted to keep the last ones. */
  real?: { values: Float32Array; shape: number[] };
  /** New latents; omitted to keep the last ones (the first generator update reuses them). */
  latent?: LatentShard;
}

/** Applies the weighted sum of all slots to a network, then averages the state. */
export interface ApplyRequest {
  type: 'apply';
  network: 'discriminator' | 'generator';
  /** One weight per worker, the shard's share of the batch. */
  shares: number[];
}

/** Averages the non-trainable state only (after an update that was not applied). */
export interface SyncStateRequest {
  type: 'syncState';
  shares: number[];
}

/** Draws `count` samples in inference mode from `normalLatent(count, latentDim, seed)`. */
export interface SampleRequest {
  type: 'sample';
  count: number;
  seed: number;
}

/** Returns every weight of both networks, in `model.weights` order. */
export interface WeightsRequest {
  type: 'weights';
}

export type Request =
  InitRequest | GradientsRequest | ApplyRequest | SyncStateRequest | SampleRequest | WeightsRequest;

/** What one update measured on one shard, the same numbers as the Trainer's phases. */
export interface ShardLosses {
  loss: number;
  realScore?: number;
  fakeScore?: number;
}

/** An error as plain data, with the fields of {@link NonFiniteLossError} when it is one. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  step?: number;
  network?: 'generator' | 'discriminator';
  value?: number;
}

export type Reply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorData };

/** A request with its id, as posted. */
export type Envelope = Request & { id: number };
