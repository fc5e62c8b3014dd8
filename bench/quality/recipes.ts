/**
 * The recipes the quality bench compares: the plain GAN and the library's best recipe, on
 * the mixtures (MLP GAN) and on MNIST (DCGAN).
 */
import type { MixtureRecipe } from './mixture-run';
import type { MnistRecipe } from './mnist-run';

/**
 * The MLP both mixture recipes start from: 3 hidden layers of 128 units in each network, z of
 * 16, batch norm in the generator (the default); the best recipes change the last two.
 */
const mlp: MixtureRecipe['model'] = {
  latentDim: 16,
  generatorUnits: [128, 128, 128],
  discriminatorUnits: [128, 128, 128],
};

const plain: MixtureRecipe = {
  name: 'GAN (MLP, no tricks)',
  model: { ...mlp },
  learningRate: 1e-3,
  beta1: 0.5,
  batchSize: 256,
};

/**
 * The best recipe's common part: a 2-D latent (the mixtures' own dimension), no batch norm in
 * the generator, minibatch standard deviation in the discriminator, and the last 30% of the
 * steps at Adam 1e-4. Chosen by tries at 3,000 steps (docs/metrics.md): on the ring, without
 * generator batch norm the high-quality share rose from 16% to 40%, with packs of 2 instead of
 * 4 to 85%, and with the 2-D latent to 94.6% (94.2 and 94.9 over two seeds).
 */
const best = (packing: number): MixtureRecipe => ({
  name:
    packing > 1 ? `best recipe (PacGAN${packing}, z 2, no G norm)` : 'best recipe (z 2, no G norm)',
  model: { ...mlp, latentDim: 2, generatorNorm: 'none', minibatchStdDev: true, packing },
  learningRate: 1e-3,
  beta1: 0.5,
  batchSize: 256,
  decay: { fraction: 0.3, learningRate: 1e-4 },
});

/**
 * The recipes per mixture. Packing suits the ring; on the grid's 25 modes packs of 2 left
 * the samples spread (3.4% high quality at 3,000 steps against 35.5% without packing).
 */
export const MIXTURE_RECIPES: Record<'ring' | 'grid', Record<'plain' | 'best', MixtureRecipe>> = {
  ring: { plain, best: best(2) },
  grid: { plain, best: best(1) },
};

/** The MNIST recipes; the conditional one learns from the labels and is reported apart. */
export const MNIST_RECIPES: Record<
  'example' | 'best' | 'selfConditioned' | 'conditional',
  MnistRecipe
> = {
  // The DCGAN example's defaults: base width 32, batch 64, no rules of thumb.
  example: { name: 'DCGAN example defaults', baseFilters: 32, batchSize: 64 },
  best: {
    name: 'best recipe',
    baseFilters: 32,
    batchSize: 64,
    minibatchStdDev: true,
    labelTricks: { smoothing: 0.1 },
  },
  // The best recipe self-conditioned: trained on 200 k-means clusters of the training digits'
  // pixels, sampled in proportion to the cluster sizes, never shown a label (docs/metrics.md).
  selfConditioned: {
    name: 'self-conditioned (200 pixel clusters), best recipe + EMA 0.999',
    baseFilters: 32,
    batchSize: 64,
    minibatchStdDev: true,
    labelTricks: { smoothing: 0.1 },
    conditioning: 'projection',
    clusters: 200,
    emaDecay: 0.999,
  },
  // The best recipe made class-conditional (projection discriminator, Miyato & Koyama 2018),
  // sampled from a weight average as in its try (docs/metrics.md): samples draw the 10 digits
  // uniformly, and the classifier checks that each looks like its digit.
  conditional: {
    name: 'conditional DCGAN (projection), best recipe + EMA 0.999',
    baseFilters: 32,
    batchSize: 64,
    minibatchStdDev: true,
    labelTricks: { smoothing: 0.1 },
    conditioning: 'projection',
    emaDecay: 0.999,
  },
};

/** The JSON object a try script merges over a recipe, or a clear error naming the argument. */
export function parseRecipe(script: string, json: string | undefined): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json ?? '{}');
  } catch (error) {
    throw new SyntaxError(
      `${script}: the recipe argument must be a JSON object such as '{"emaDecay":0.999}', ` +
        `got ${JSON.stringify(json)} (${(error as Error).message}).`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${script}: the recipe argument must be a JSON object, got ${json}.`);
  }
  return value as Record<string, unknown>;
}
