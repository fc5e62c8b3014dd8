/**
 * Steps per second and memory of the reference models under the Trainer and the
 * ParallelTrainer, for `bench:speed`.
 */
import * as tf from '@tensorflow/tfjs';
import { ParallelTrainer } from '../../src/parallel';
import { Trainer } from '../../src/training/trainer';
import { build, type Kind, realBatch } from './overhead';
import { rssMb, stepsPerSecond } from './timing';

/** The error text of a step that failed, naming a missing kernel when that was the cause. */
function failure(error: unknown): string {
  const message = String((error as Error).message ?? error);
  const missing = /Kernel '(\w+)' not registered/.exec(message);
  return missing != null ? `fails: no ${missing[1]}` : `fails: ${message.slice(0, 40)}`;
}

/** Steps per second of the Trainer on the reference model, or the error text if it fails. */
export async function trainerSpeed(
  kind: Kind,
  kernels: boolean,
  warmup: number,
  steps: number,
): Promise<number | string> {
  const gan = build(kind);
  const trainer = new Trainer({
    generator: gan.generator,
    discriminator: gan.discriminator,
    seed: 1,
    trainingKernels: kernels,
  });
  const real = realBatch(gan, kind);
  try {
    return await stepsPerSecond(() => trainer.step(real), warmup, steps);
  } catch (error) {
    return failure(error);
  } finally {
    tf.dispose(real);
    trainer.dispose();
    gan.dispose();
  }
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
export async function workersSpeed(
  kind: Kind,
  workers: number,
  warmup: number,
  steps: number,
): Promise<number | string> {
  const gan = build(kind);
  const real = realBatch(gan, kind);
  let parallel: ParallelTrainer | undefined;
  try {
    parallel = await ParallelTrainer.create({
      generator: gan.generator,
      discriminator: gan.discriminator,
      seed: 1,
      workers,
      backend: 'wasm',
    });
    const trainer = parallel;
    return await stepsPerSecond(() => trainer.step(real), warmup, steps);
  } catch (error) {
    return failure(error);
  } finally {
    await parallel?.dispose();
    tf.dispose(real);
    gan.dispose();
  }
}
