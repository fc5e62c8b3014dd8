import * as tf from '@tensorflow/tfjs';

import { FadeIn } from '../layers/fade-in';
import { minibatchStdDev } from '../layers/minibatch-stddev';
import { pixelNormalization } from '../layers/pixel-normalization';
import { RandomStream } from '../random';

/** What the layer builders need to know of a ProgressiveGAN's options. */
export interface ProgressiveLayerPlan {
  latentDim: number;
  channels: number;
  /** Filters of each stage, from 4×4 up. */
  filters: number[];
  kernelSize: number;
  leakyReluAlpha: number;
  pixelNorm: boolean;
  /** Group size of the minibatch-stddev layer, or `false`. */
  minibatchStdDev: number | false;
  seed: number;
}

/** The layers one stage adds to each network; shared by every later stage's models. */
export interface StageLayers {
  /** Generator: the 4×4 seed (stage 0) or an upsample and two convolutions. */
  generatorBlock: tf.layers.Layer[];
  /** Generator: 1×1 convolution to the image's channels, `tanh`. */
  toRgb: tf.layers.Layer[];
  /** Discriminator: 1×1 convolution from the image's channels, leaky ReLU. */
  fromRgb: tf.layers.Layer[];
  /** Discriminator: two convolutions and an average pool (stage 0: the logit head). */
  discriminatorBlock: tf.layers.Layer[];
}

/** The side of the images of stage `stage`: 4, 8, 16, … */
export function resolutionOf(stage: number): number {
  return 4 * 2 ** stage;
}

/** Creates the layers of stage `stage`, their weights seeded by the stage alone. */
export function stageLayers(plan: ProgressiveLayerPlan, stage: number): StageLayers {
  const random = new RandomStream(`${plan.seed}:stage${stage}`);
  const r = resolutionOf(stage);
  const f = plan.filters[stage];
  // He initialisation for layers followed by leaky ReLU, unit gain for the outputs.
  const init = (scale: number) =>
    tf.initializers.varianceScaling({
      scale,
      mode: 'fanIn',
      distribution: 'normal',
      seed: random.nextSeed(),
    });
  const conv = (name: string, filters: number, kernelSize: number, scale = 2) =>
    tf.layers.conv2d({
      name,
      filters,
      kernelSize,
      padding: 'same',
      kernelInitializer: init(scale),
    });
  const leaky = (name: string) => tf.layers.leakyReLU({ name, alpha: plan.leakyReluAlpha });
  const norm = (name: string) => (plan.pixelNorm ? [pixelNormalization({ name })] : []);
  const k = plan.kernelSize;
  const g = `g${r}`;
  const d = `d${r}`;

  const generatorBlock: tf.layers.Layer[] =
    stage === 0
      ? [
          ...norm(`${g}_latent_norm`),
          tf.layers.dense({ name: `${g}_dense`, units: 16 * f, kernelInitializer: init(2) }),
          // [batch, 16·f] -> [batch, 4, 4, f]
          tf.layers.reshape({ name: `${g}_reshape`, targetShape: [4, 4, f] }),
          leaky(`${g}_act0`),
          ...norm(`${g}_norm0`),
        ]
      : [tf.layers.upSampling2d({ name: `${g}_up`, size: [2, 2] })];
  if (stage > 0)
    generatorBlock.push(conv(`${g}_conv0`, f, k), leaky(`${g}_act0`), ...norm(`${g}_norm0`));
  generatorBlock.push(conv(`${g}_conv1`, f, k), leaky(`${g}_act1`), ...norm(`${g}_norm1`));
  const toRgb = [
    tf.layers.conv2d({
      name: `${g}_to_rgb`,
      filters: plan.channels,
      kernelSize: 1,
      activation: 'tanh',
      kernelInitializer: init(1),
    }),
  ];
  const fromRgb = [conv(`${d}_from_rgb`, f, 1), leaky(`${d}_from_rgb_act`)];
  const discriminatorBlock =
    stage === 0
      ? [
          ...(plan.minibatchStdDev === false
            ? []
            : [minibatchStdDev({ name: `${d}_stddev`, groupSize: plan.minibatchStdDev })]),
          conv(`${d}_conv0`, f, k),
          leaky(`${d}_act0`),
          tf.layers.flatten({ name: `${d}_flatten` }),
          tf.layers.dense({ name: `${d}_dense`, units: f, kernelInitializer: init(2) }),
          leaky(`${d}_act1`),
          tf.layers.dense({ name: `${d}_logit`, units: 1, kernelInitializer: init(1) }),
        ]
      : [
          conv(`${d}_conv0`, f, k),
          leaky(`${d}_act0`),
          conv(`${d}_conv1`, plan.filters[stage - 1], k),
          leaky(`${d}_act1`),
          tf.layers.averagePooling2d({ name: `${d}_pool`, poolSize: 2, strides: 2 }),
        ];
  return { generatorBlock, toRgb, fromRgb, discriminatorBlock };
}

function chain(x: tf.SymbolicTensor, layers: tf.layers.Layer[]): tf.SymbolicTensor {
  return layers.reduce((h, layer) => layer.apply(h) as tf.SymbolicTensor, x);
}

/** A stage's network and the layer that fades its new block in (`null` at stage 0). */
export interface StageNetwork {
  model: tf.LayersModel;
  fade: FadeIn | null;
}

/**
 * The generator of stage `stage` from the layers of stages 0 to `stage`:
 * `(1 − α)·upsample(toRgb_{s−1}(h)) + α·toRgb_s(block_s(h))` with `h` the output of blocks
 * 0 to `s − 1`.
 */
export function buildGenerator(
  plan: ProgressiveLayerPlan,
  layers: StageLayers[],
  stage: number,
): StageNetwork {
  const z = tf.input({ shape: [plan.latentDim], name: `g${resolutionOf(stage)}_z` });
  let h = z;
  for (let s = 0; s < stage; s++) h = chain(h, layers[s].generatorBlock);
  const grown = chain(chain(h, layers[stage].generatorBlock), layers[stage].toRgb);
  if (stage === 0) return { model: tf.model({ inputs: z, outputs: grown }), fade: null };
  const r = resolutionOf(stage);
  // [batch, r/2, r/2, channels] -> [batch, r, r, channels], each pixel repeated 2×2.
  const up = tf.layers.upSampling2d({ name: `g${r}_fade_up`, size: [2, 2] });
  const old = up.apply(chain(h, layers[stage - 1].toRgb)) as tf.SymbolicTensor;
  const fade = new FadeIn({ name: `g${r}_fade` });
  const image = fade.apply([old, grown]) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: z, outputs: image }), fade };
}

/**
 * The discriminator of stage `stage`:
 * `(1 − α)·fromRgb_{s−1}(avgPool(x)) + α·block_s(fromRgb_s(x))`, then blocks `s − 1` to 0.
 */
export function buildDiscriminator(
  plan: ProgressiveLayerPlan,
  layers: StageLayers[],
  stage: number,
): StageNetwork {
  const r = resolutionOf(stage);
  const image = tf.input({ shape: [r, r, plan.channels], name: `d${r}_image` });
  let h = chain(chain(image, layers[stage].fromRgb), layers[stage].discriminatorBlock);
  let fade: FadeIn | null = null;
  if (stage > 0) {
    // [batch, r, r, channels] -> [batch, r/2, r/2, channels], the mean of each 2×2 square.
    const pool = tf.layers.averagePooling2d({ name: `d${r}_fade_pool`, poolSize: 2, strides: 2 });
    const old = chain(pool.apply(image) as tf.SymbolicTensor, layers[stage - 1].fromRgb);
    fade = new FadeIn({ name: `d${r}_fade` });
    h = fade.apply([old, h]) as tf.SymbolicTensor;
    for (let s = stage - 1; s >= 0; s--) h = chain(h, layers[s].discriminatorBlock);
  }
  return { model: tf.model({ inputs: image, outputs: h }), fade };
}
