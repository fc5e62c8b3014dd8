/**
 * The recipes the quality bench compares: the plain GAN and the library's best recipe, on
 * the mixtures (MLP GAN) and on MNIST (DCGAN).
 */
import type { MixtureRecipe } from './mixture-run';
import type { MnistRecipe } from './mnist-run';

/**
 * The MLP both mixture recipes share: 3 hidden layers of 128 units in each network, z of 16,
 * batch norm in the generator (the default), batch 256.
 */
const mlp: MixtureRecipe['model'] = {
  latentDim: 16,
  generatorUnits: [128, 128, 128],
  discriminatorUnits: [128, 128, 128],
};

export const MIXTURE_RECIPES: Record<'plain' | 'best', MixtureRecipe> = {
  plain: {
    name: 'GAN (MLP, no tricks)',
    model: { ...mlp },
    learningRate: 1e-3,
    beta1: 0.5,
    batchSize: 256,
  },
  best: {
    name: 'best recipe (PacGAN4)',
    model: { ...mlp, minibatchStdDev: true, packing: 4 },
    learningRate: 1e-3,
    beta1: 0.5,
    batchSize: 256,
    decay: { fraction: 0.3, learningRate: 1e-4 },
  },
};

export const MNIST_RECIPES: Record<'example' | 'best', MnistRecipe> = {
  // The DCGAN example's defaults: base width 32, batch 64, no rules of thumb.
  example: { name: 'DCGAN example defaults', baseFilters: 32, batchSize: 64 },
  best: {
    name: 'best recipe',
    baseFilters: 32,
    batchSize: 64,
    minibatchStdDev: true,
    labelTricks: { smoothing: 0.1 },
  },
};
