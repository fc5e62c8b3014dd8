/**
 * Steps per second and memory of the reference models under the Trainer and the
 * ParallelTrainer, for `bench:speed`.
 */
import * as tf from '@tensorflow/tfjs';
import { ParallelTrainer } from '../../src/parallel';
import { Trainer } from '../../src/training/trainer';
import { build, type Kind, realBatch } from './overhead';
import { rssMb, stepsPerSecond } from './timing';
import type { ReferenceGan } from '../reference-models';

/** The error text of a step that failed, naming a missing kernel when that was the cause. */
function failure(error: unknown): string {
  const message = String((error as Error).message ?? error);
  const missing = /Kernel '(\w+)' not registered/.exec(message);
  return missing != null ? `fails: no ${missing[1]}` : `fails: ${message.slice(0, 40)}`;
}

/** Something that trains one step at a time: a Trainer or a ParallelTrainer. */
interface Stepper {
  step(real: tf.Tensor): Promise<unknown>;
  dispose(): unknown;
}

/**
 * Steps per second of the trainer `start` makes for the reference model (built and freed
 * here), or the error text if it fails.
 */
async function speedOf(
  kind: Kind,
  start: (gan: ReferenceGan) => Stepper | Promise<Stepper>,
  warmup: number,
  steps: number,
): Promise<number | string> {
  const gan = build(kind);
  const real = realBatch(gan, kind);
  let trainer: Stepper | undefined;
  try {
    const started = await start(gan);
    trainer = started;
    return await stepsPerSecond(() => started.step(real), warmup, steps);
  } catch (error) {
    return failure(error);
  } finally {
    await trainer?.dispose();
    tf.dispose(real);
    gan.dispose();
  }
}

/** Steps per second of the Trainer on the reference model, or the error text if it fails. */
export function trainerSpeed(
  kind: Kind,
  kernels: boolean,
  warmup: number,
  steps: number,
): Promise<number | string> {
  const start = (gan: ReferenceGan) =>
    new Trainer({
      generator: gan.generator,
      discriminator: gan.discriminator,
      seed: 1,
      trainingKernels: kernels,
    });
  return speedOf(kind, start, warmup, steps);
}

/** Tensor count and RSS after a warm-up and after `steps` more Trainer steps. */
export async function memory(kind: Kind, steps: number): Promise<string> {
  const gan = build(kind);
  const trainer = new Trainer({
    generator: gan.generator,
    discriminator: gan.discriminator,
    seed: 1,
  });
  const real = realBatch(gan, kind);
  const warmup = Math.min(20, Math.max(3, Math.floor(steps / 10)));
  for (let i = 0; i < warmup; i++) await trainer.step(real);
  const tensors0 = tf.memory().numTensors;
  const rss0 = rssMb();
  let rssMax = rss0;
  for (let i = 0; i < steps; i++) {
    await trainer.step(real);
    if (i % 10 === 0) rssMax = Math.max(rssMax, rssMb());
  }
  const text =
    `tensors ${tensors0}→${tf.memory().numTensors}, RSS ${rss0.toFixed(0)}→${rssMb().toFixed(0)} MB ` +
    `(max ${rssMax.toFixed(0)}) over ${steps} steps after ${warmup}`;
  tf.dispose(real);
  trainer.dispose();
  gan.dispose();
  return text;
}

/**
 * Steps per second of the ParallelTrainer with `workers` wasm workers (both cores of the
 * machine with two), each worker taking an equal share of the batch, or the error text.
 */
export function workersSpeed(
  kind: Kind,
  workers: number,
  warmup: number,
  steps: number,
): Promise<number | string> {
  const start = (gan: ReferenceGan) =>
    ParallelTrainer.create({
      generator: gan.generator,
      discriminator: gan.discriminator,
      seed: 1,
      workers,
      backend: 'wasm',
    });
  return speedOf(kind, start, warmup, steps);
}
