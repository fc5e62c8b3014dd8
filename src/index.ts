/**
 * tfjs-gan: building blocks for generative adversarial networks on TensorFlow.js.
 *
 * This entry point runs wherever TensorFlow.js runs (browser, Node, worker); it uses no Node
 * built-ins. File-system helpers live in `tfjs-gan/node`.
 *
 * @module tfjs-gan
 */
export { RandomStream } from './random';
export { NonFiniteLossError, FormatError } from './errors';

export type { AdversarialLoss, LossTerm, LossTermContext } from './losses/types';
export {
  crossEntropyDiscriminatorLoss,
  minimaxGeneratorLoss,
  minimaxLoss,
  nonSaturatingGeneratorLoss,
  nonSaturatingLoss,
} from './losses/cross-entropy';

export { normalLatent, type LatentSampler } from './hacks/latent';

export {
  activationLayer,
  downsampleBlock,
  upsampleBlock,
  type BlockActivation,
  type BlockNorm,
  type ConvBlockOptions,
} from './layers/blocks';

export { DCGAN, type DCGANOptions, type ResolvedDCGANOptions } from './models/dcgan';
export { buildableSides as dcganSides, type DcganPlan } from './models/dcgan-plan';

export { Trainer } from './training/trainer';
export type {
  FitCallbacks,
  FitData,
  FitOptions,
  FitSummary,
  StepResult,
  TrainerOptions,
} from './training/types';

export { parseIdx, type IdxArray, type IdxDataTypes, type IdxDtype } from './data/idx';
export { imagesToTensor, tensorToImages } from './data/images';
export { ImageBatches, shuffledIndices, type ImageBatchesOptions } from './data/batches';
export { imageGrid, type ImageGridOptions } from './io/grid';

export {
  installTrainingKernels,
  trainingKernelsInstalled,
  uninstallTrainingKernels,
} from './kernels/install';
