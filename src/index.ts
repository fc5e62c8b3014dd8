/**
 * tfjs-gan: building blocks for generative adversarial networks on TensorFlow.js.
 *
 * This entry point runs wherever TensorFlow.js runs (browser, Node, worker); it uses no Node
 * built-ins. File-system helpers live in `tfjs-gan/node`.
 *
 * @module tfjs-gan
 */
export { RandomStream, type RandomStreamState } from './random';
export { NonFiniteLossError, FormatError } from './errors';

export type {
  AdversarialLoss,
  CrossEntropyOptions,
  LossOptions,
  LossTerm,
  LossTermContext,
  ReducedLoss,
  Reduction,
} from './losses/types';
export {
  crossEntropyDiscriminatorLoss,
  crossEntropyLoss,
  minimaxGeneratorLoss,
  minimaxLoss,
  nonSaturatingGeneratorLoss,
  nonSaturatingLoss,
  type CrossEntropyLossOptions,
} from './losses/cross-entropy';
export {
  wassersteinDiscriminatorLoss,
  wassersteinGeneratorLoss,
  wassersteinLoss,
} from './losses/wasserstein';
export { hingeDiscriminatorLoss, hingeGeneratorLoss, hingeLoss } from './losses/hinge';
export {
  leastSquaresDiscriminatorLoss,
  leastSquaresGeneratorLoss,
  leastSquaresLoss,
} from './losses/least-squares';
export {
  relativisticAverageDiscriminatorLoss,
  relativisticAverageGeneratorLoss,
  relativisticAverageHingeDiscriminatorLoss,
  relativisticAverageHingeGeneratorLoss,
  relativisticAverageHingeLoss,
  relativisticAverageLoss,
} from './losses/relativistic';
export {
  draganPenalty,
  gradientPenalty,
  type DraganPenaltyOptions,
  type GradientPenaltyOptions,
} from './losses/gradient-penalty';
export { r1Penalty, r2Penalty, type ZeroCenteredPenaltyOptions } from './losses/r1';
export { featureMatchingLoss } from './losses/feature-matching';
export {
  draganPenaltyTerm,
  featureMatchingTerm,
  gradientPenaltyTerm,
  r1PenaltyTerm,
  r2PenaltyTerm,
  type FeatureMatchingTermOptions,
  type TermOptions,
} from './losses/terms';
export type { Critic } from './losses/input-gradient';

export {
  normalLatent,
  sphericalLatent,
  uniformLatent,
  type LatentSampler,
  type SphericalLatentOptions,
} from './hacks/latent';
export {
  interpolationPath,
  lerp,
  slerp,
  type InterpolationPathOptions,
} from './hacks/interpolation';
export {
  discriminatorTargets,
  sigmoidCrossEntropyWithTargets,
  type DiscriminatorTargets,
  type LabelTricks,
} from './hacks/labels';
export {
  addInstanceNoise,
  exponentialDecay,
  linearDecay,
  type ExponentialDecayOptions,
  type LinearDecayOptions,
  type NoiseSchedule,
} from './hacks/instance-noise';
export { ExperienceReplay, type ExperienceReplayOptions } from './hacks/replay';
export { kMeans, type KMeansOptions, type KMeansResult } from './hacks/clusters';
export {
  modeSeekingLoss,
  modeSeekingTerm,
  type ModeSeekingTermOptions,
} from './hacks/mode-seeking';
export {
  CollapseDetector,
  FailureDetector,
  sampleDiversity,
  type CollapseDetectorOptions,
  type FailureDetectorOptions,
  type TrainingWarning,
} from './hacks/diagnostics';

export {
  activationLayer,
  downsampleBlock,
  normActivation,
  upsampleBlock,
  type BlockActivation,
  type BlockNorm,
  type ConvBlockOptions,
} from './layers/blocks';

export type { BaseLayerArgs, CallArgs } from './layers/layer-args';
export {
  MinibatchStdDev,
  minibatchStdDev,
  type MinibatchStdDevLayerArgs,
} from './layers/minibatch-stddev';
export {
  MinibatchDiscrimination,
  minibatchDiscrimination,
  type MinibatchDiscriminationLayerArgs,
} from './layers/minibatch-discrimination';
export {
  InstanceNormalization,
  instanceNormalization,
  type InstanceNormalizationLayerArgs,
} from './layers/instance-normalization';
export {
  PixelNormalization,
  pixelNormalization,
  type PixelNormalizationLayerArgs,
} from './layers/pixel-normalization';
export { PixelShuffle, pixelShuffle, type PixelShuffleLayerArgs } from './layers/pixel-shuffle';
export {
  SpectralNormalization,
  spectralNormalization,
  type SpectralNormalizationLayerArgs,
} from './layers/spectral-normalization';
export { separateBiasAdds } from './layers/separate-bias';
export {
  PackSamples,
  packSamples,
  RepeatPacks,
  repeatPacks,
  type PackingLayerArgs,
} from './layers/packing';

export { DCGAN, type DCGANOptions, type ResolvedDCGANOptions } from './models/dcgan';
export {
  MlpGAN,
  type MinibatchDiscriminationSizes,
  type MlpGANOptions,
  type ResolvedMlpGANOptions,
} from './models/mlp-gan';
export { Maxout, type MaxoutLayerArgs } from './models/mlp-maxout';
export { WganGp, type WganGpOptions, type WganGpTrainerOptions } from './models/wgan-gp';
export { buildableSides as dcganSides, type DcganPlan } from './models/dcgan-plan';
export {
  SeriesDCGAN,
  type ResolvedSeriesDCGANOptions,
  type SeriesDCGANOptions,
  type SeriesDCGANPlan,
} from './models/series-dcgan';
export {
  ProgressiveGAN,
  type ProgressiveGANOptions,
  type ResolvedProgressiveGANOptions,
} from './models/progressive-gan';
export { FadeIn, fadeIn, type FadeInLayerArgs } from './layers/fade-in';

export { Trainer } from './training/trainer';
export type { NetworkFunction } from './training/network';
export type { TrainerEventHandler, TrainerEvents, UpdateEvent } from './training/events';
export type {
  FitCallbacks,
  FitCheckpointOptions,
  FitData,
  FitOptions,
  FitSummary,
  StepResult,
  TrainerOptions,
} from './training/types';
export { ProgressiveTrainer } from './training/progressive-trainer';
export type { ProgressiveSchedule, ProgressiveStage } from './training/progressive-schedule';
export type {
  ProgressiveFitOptions,
  ProgressiveFitSummary,
  ProgressiveStageEnd,
  ProgressiveStepResult,
  ProgressiveTrainerOptions,
} from './training/progressive-types';

export { parseIdx, type IdxArray, type IdxDataTypes, type IdxDtype } from './data/idx';
export { imagesToTensor, tensorToImages } from './data/images';
export { ImageBatches, shuffledIndices, type ImageBatchesOptions } from './data/batches';
export {
  GaussianMixture,
  gridMixture,
  ringMixture,
  type GridMixtureOptions,
  type RingMixtureOptions,
} from './data/mixtures';
export { noisySines, type NoisySinesOptions } from './data/sines';
export {
  mixtureQuality,
  type MixtureModes,
  type MixtureQuality,
  type MixtureQualityOptions,
} from './metrics/mixture';
export {
  featureStatistics,
  frechetDistance,
  frechetDistanceFromStatistics,
  type FeatureStatistics,
} from './metrics/frechet';
export {
  kernelDistance,
  type KernelDistanceOptions,
  type KernelDistanceResult,
} from './metrics/kernel-distance';
export { classHistogram, classifierScore } from './metrics/classifier-score';
export { meanPairwiseDistance, type MeanPairwiseDistanceOptions } from './metrics/diversity';
export { dominantFrequencies, type DominantFrequencyOptions } from './metrics/frequency';
export {
  frequencyDistance,
  type FrequencyDistance,
  type FrequencyDistanceOptions,
} from './metrics/frequency-distance';
export { MnistClassifier, type MnistPredictions } from './metrics/mnist-classifier';
export { imageGrid, type ImageGridOptions } from './io/grid';
export {
  decodeCheckpoint,
  encodeCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  type CheckpointArtifacts,
  type CheckpointContents,
  type CheckpointData,
  type CheckpointStore,
  type NamedTensor,
} from './io/checkpoint';
export type {
  CheckpointDtype,
  CheckpointManifest,
  CheckpointWeightSpec,
  JsonValue,
} from './io/checkpoint-manifest';
export { tfjsIOStore } from './io/checkpoint-tfjs';
export { optimizerState, restoreOptimizerState } from './io/checkpoint-optimizer';

export { registerSecondOrderGradients } from './kernels/gradients';
export {
  installTrainingKernels,
  trainingKernelsInstalled,
  uninstallTrainingKernels,
} from './kernels/install';

// Class-conditional GANs.
export {
  ClassEmbedding,
  classEmbedding,
  type ClassEmbeddingLayerArgs,
} from './layers/class-embedding';
export {
  ClassProjection,
  classProjection,
  type ClassProjectionLayerArgs,
} from './layers/class-projection';
export type {
  ClassConditioning,
  ConditioningOptions,
  ResolvedConditioningOptions,
} from './models/conditioning';
export {
  auxiliaryClassifierHead,
  auxiliaryClassifierLoss,
  type AuxiliaryClassifierHeadOptions,
  type AuxiliaryHead,
  type AuxiliaryHeadContext,
} from './losses/auxiliary';
export type { LabelledBatch, SampleOptions } from './training/types';
export {
  infoGanCodes,
  type InfoGanCodes,
  type InfoGanCodesOptions,
  type InfoGanCodeValues,
} from './hacks/info-codes';
export {
  mutualInformationHead,
  type MutualInformationHeadOptions,
} from './losses/mutual-information';
