/**
 * Data-parallel training on several cores of a Node process (worker threads).
 *
 * @module
 */
export { ParallelTrainer } from './parallel-trainer';
export type { ParallelTrainerOptions } from './options';
