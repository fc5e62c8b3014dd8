import * as tf from '@tensorflow/tfjs';

import { activationLayer, normActivation, type BlockNorm } from '../layers/blocks';
import { minibatchStdDev } from '../layers/minibatch-stddev';
import { spectralNormalization } from '../layers/spectral-normalization';
import type { ResolvedSeriesDCGANOptions, SeriesDCGANPlan } from './series-dcgan';

type InitFactory = () => ReturnType<typeof tf.initializers.randomNormal>;

/**
 * A stride-2 convolution along the time axis of a height-1 map `[batch, 1, length, channels]`:
 * kernel `[1, kernelSize]`, strides `[1, 2]`, `'same'` padding. No bias when batch or instance
 * norm follows (their mean subtraction cancels it).
 */
function timeConv(
  transposed: boolean,
  filters: number,
  norm: BlockNorm,
  o: ResolvedSeriesDCGANOptions,
  init: InitFactory,
): tf.layers.Layer {
  const args = {
    filters,
    kernelSize: [1, o.kernelSize],
    strides: [1, 2],
    padding: 'same' as const,
    useBias: norm !== 'batch' && norm !== 'instance',
    kernelInitializer: init(),
  };
  return transposed ? tf.layers.conv2dTranspose(args) : tf.layers.conv2d(args);
}

function apply(layer: tf.layers.Layer, x: tf.SymbolicTensor): tf.SymbolicTensor {
  return layer.apply(x) as tf.SymbolicTensor;
}

/** The generator: `z [batch, latentDim]` → `[batch, length, channels]` in [-1, 1]. */
export function buildSeriesGenerator(
  o: ResolvedSeriesDCGANOptions,
  plan: SeriesDCGANPlan,
  init: InitFactory,
): tf.LayersModel {
  const topFilters = o.baseFilters * 2 ** (plan.stages - 1);
  const z = tf.input({ shape: [o.latentDim] });
  const batchNorm = o.generatorNorm === 'batch';
  const units = plan.seedLength * topFilters;
  let x = apply(
    tf.layers.dense({ units, useBias: o.generatorNorm === 'none', kernelInitializer: init() }),
    z,
  );
  // Batch norm follows the dense layer per unit, as in DCGAN; the other norms need the seed
  // map's time axis, so they follow the reshape.
  if (batchNorm) {
    x = apply(tf.layers.batchNormalization({ momentum: o.batchNormMomentum, epsilon: 1e-5 }), x);
    x = apply(activationLayer(o.generatorActivation, o.leakyReluAlpha), x);
  }
  // [batch, seedLength·topFilters] -> [batch, 1, seedLength, topFilters]
  x = apply(tf.layers.reshape({ targetShape: [1, plan.seedLength, topFilters] }), x);
  const hidden = {
    norm: o.generatorNorm,
    activation: o.generatorActivation,
    leakyReluAlpha: o.leakyReluAlpha,
    batchNormMomentum: o.batchNormMomentum,
  };
  if (!batchNorm) x = normActivation(x, { filters: topFilters, ...hidden });
  for (let stage = 1; stage < plan.stages; stage++) {
    const filters = topFilters / 2 ** stage;
    x = apply(timeConv(true, filters, o.generatorNorm, o, init), x);
    x = normActivation(x, { filters, ...hidden });
  }
  x = apply(timeConv(true, o.channels, 'none', o, init), x);
  // [batch, 1, length, channels] -> [batch, length, channels]; tanh comes last so the
  // Trainer sees a tanh generator and checks real batches against [-1, 1].
  x = apply(tf.layers.reshape({ targetShape: [o.length, o.channels] }), x);
  const series = apply(tf.layers.activation({ activation: 'tanh' }), x);
  return tf.model({ inputs: z, outputs: series });
}

/** The discriminator: `[batch, length, channels]` → one logit each, `[batch, 1]`. */
export function buildSeriesDiscriminator(
  o: ResolvedSeriesDCGANOptions,
  plan: SeriesDCGANPlan,
  init: InitFactory,
): tf.LayersModel {
  const series = tf.input({ shape: [o.length, o.channels] });
  // [batch, length, channels] -> [batch, 1, length, channels]
  let x = apply(tf.layers.reshape({ targetShape: [1, o.length, o.channels] }), series);
  for (let stage = 0; stage < plan.stages; stage++) {
    if (stage === plan.stages - 1 && o.minibatchStdDev !== false) {
      const groupSize = o.minibatchStdDev === true ? 4 : o.minibatchStdDev;
      // [batch, 1, l, c] -> [batch, 1, l, c + 1]: the group's stddev as one more channel.
      x = apply(minibatchStdDev({ groupSize }), x);
    }
    const filters = o.baseFilters * 2 ** stage;
    const norm = stage === 0 ? 'none' : o.discriminatorNorm;
    const conv = timeConv(false, filters, norm, o, init);
    x = apply(o.spectralNorm ? spectralNormalization({ layer: conv }) : conv, x);
    x = normActivation(x, {
      filters,
      norm,
      activation: 'leakyRelu',
      leakyReluAlpha: o.leakyReluAlpha,
      batchNormMomentum: o.batchNormMomentum,
    });
  }
  x = apply(tf.layers.flatten(), x);
  const logit = apply(tf.layers.dense({ units: 1, kernelInitializer: init() }), x);
  return tf.model({ inputs: series, outputs: logit });
}
