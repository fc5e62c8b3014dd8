/**
 * tfjs-gan/node: what only Node can do — read IDX files from disk, write PNG sample grids,
 * save and load models in a folder without `@tensorflow/tfjs-node`, and a terminal progress bar.
 *
 * @module tfjs-gan/node
 */
export { readIdx } from './idx';
export { encodePng, writeImageGrid } from './png';
export type { EncodePngOptions, WriteImageGridOptions } from './png';
export { fileSystem } from './model-io';
export { ProgressBar } from './progress';
export { lossPlotSvg, writeLossPlot } from './plot';
export type { LossPlotOptions, LossRow, LossSeries } from './plot';
export type { ProgressBarOptions } from './progress';
export { checkpointDirectory } from './checkpoint-dir';
export type {
  CheckpointDirectory,
  CheckpointDirectoryOptions,
  CheckpointEntry,
} from './checkpoint-dir';
export { ParallelTrainer } from '../parallel';
export type { ParallelTrainerOptions } from '../parallel';
