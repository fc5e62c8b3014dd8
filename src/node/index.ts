/**
 * tfjs-gan/node: what only Node can do — read IDX files from disk, write PNG sample grids,
 * save and load models in a folder without `@tensorflow/tfjs-node`, and a terminal progress bar.
 *
 * @module tfjs-gan/node
 */
export {};
