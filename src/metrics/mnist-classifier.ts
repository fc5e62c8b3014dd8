import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkTensor, describeValue } from '../errors';

/**
 * A batch's outputs from {@link MnistClassifier.predict}.
 *
 * @category Metrics
 */
export interface MnistPredictions {
  /** Penultimate-layer activations, `[n, 128]`: the features for the Fréchet and kernel distances. */
  features: tf.Tensor2D;
  /** Class probabilities, `[n, 10]`: for the classifier score and the class histogram. */
  probabilities: tf.Tensor2D;
}

/**
 * A small convolutional MNIST classifier used as the feature extractor of the image metrics,
 * as the repository trains it (`scripts/train-mnist-classifier.ts`): two 3×3 convolutions
 * (32, 64) with max pooling, a dense layer of 128 (`features`) and a softmax over the 10
 * digits (`probabilities`). It reaches 99% accuracy on the MNIST test set; its weights ship in
 * `assets/mnist-classifier/`.
 *
 * Inputs are images `[n, 28, 28, 1]` in [-1, 1], as a generator with `tanh` output makes
 * them. The Fréchet distance on its features is an "FID" only in name: numbers are
 * comparable only with numbers from this same classifier.
 *
 * @see Heusel et al. 2017 (FID), https://arxiv.org/abs/1706.08500
 * @see Salimans et al. 2016 (Inception score), https://arxiv.org/abs/1606.03498
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { MnistClassifier, classifierScore } from 'tfjs-gan';
 * import { fileSystem } from 'tfjs-gan/node';
 * const classifier = await MnistClassifier.load(
 *   fileSystem('node_modules/tfjs-gan/assets/mnist-classifier'),
 * );
 * const images = tf.randomUniform([16, 28, 28, 1], -1, 1);
 * const { features, probabilities } = classifier.predict(images);
 * const score = await classifierScore(probabilities);
 * tf.dispose([images, features, probabilities]);
 * classifier.dispose();
 * ```
 * @category Metrics
 */
export class MnistClassifier {
  /** The loaded network, image → probabilities. */
  readonly model: tf.LayersModel;
  private readonly both: tf.LayersModel;

  /**
   * @param model - a network with an input `[null, 28, 28, 1]`, a layer named `features`
   *   and a softmax output of 10 classes, e.g. as {@link MnistClassifier.load} returns.
   * @throws TypeError when `model` is not a `tf.LayersModel`.
   * @throws RangeError when it has no `features` layer or the wrong input or output shape.
   */
  constructor(model: tf.LayersModel) {
    const where = 'MnistClassifier';
    if (!(model instanceof tf.LayersModel)) {
      throw new TypeError(`${where}: model must be a tf.LayersModel, got ${describeValue(model)}.`);
    }
    const input = model.inputs[0].shape;
    const output = model.outputs[0].shape;
    if (input.join() !== ',28,28,1' || output.join() !== ',10') {
      throw new RangeError(
        `${where}: model must map [?,28,28,1] to [?,10], got [${input.map((s) => s ?? '?')}] ` +
          `to [${output.map((s) => s ?? '?')}].`,
      );
    }
    const features = model.layers.find((layer) => layer.name === 'features');
    if (!features) {
      throw new RangeError(`${where}: model must have a layer named 'features', got none.`);
    }
    this.model = model;
    this.both = tf.model({
      inputs: model.inputs,
      outputs: [features.output as tf.SymbolicTensor, model.outputs[0]],
    });
  }

  /**
   * Loads the classifier from an IO handler (e.g. `fileSystem(dir)` from `tfjs-gan/node`) or
   * a URL of its `model.json` (`http(s)://`, or `indexeddb://` in a browser).
   *
   * @param source - where the `model.json` and `weights.bin` are.
   * @returns the classifier.
   * @throws whatever `tf.loadLayersModel` throws for a missing or corrupt model; RangeError
   *   when the model is not a classifier of this shape.
   */
  static async load(source: string | tf.io.IOHandler): Promise<MnistClassifier> {
    return new MnistClassifier(await tf.loadLayersModel(source));
  }

  /**
   * Runs the network in inference mode on images, in batches.
   *
   * @param images - `[n, 28, 28, 1]` in [-1, 1]; not disposed.
   * @param batchSize - images per forward pass. @defaultValue 500
   * @returns features `[n, 128]` and probabilities `[n, 10]`, owned by the caller.
   * @throws TypeError when `images` is not a tensor; RangeError for the wrong shape.
   */
  predict(images: tf.Tensor, batchSize = 500): MnistPredictions {
    const where = 'MnistClassifier.predict';
    checkTensor(where, 'images', images);
    checkInteger(where, 'batchSize', batchSize, 1);
    if (images.rank !== 4 || images.shape.slice(1).join() !== '28,28,1' || images.shape[0] < 1) {
      throw new RangeError(
        `${where}: images must have shape [n,28,28,1], got ${describeValue(images.shape)}.`,
      );
    }
    return tf.tidy(() => {
      const features: tf.Tensor[] = [];
      const probabilities: tf.Tensor[] = [];
      for (let start = 0; start < images.shape[0]; start += batchSize) {
        const size = Math.min(batchSize, images.shape[0] - start);
        const batch = tf.slice(images, [start, 0, 0, 0], [size, 28, 28, 1]);
        const [f, p] = this.both.predict(batch) as tf.Tensor[];
        features.push(f);
        probabilities.push(p);
      }
      return {
        features: tf.concat(features) as tf.Tensor2D,
        probabilities: tf.concat(probabilities) as tf.Tensor2D,
      };
    });
  }

  /** Frees the network's weights. */
  dispose(): void {
    this.model.dispose();
  }
}
