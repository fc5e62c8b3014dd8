import * as tf from '@tensorflow/tfjs';

import { FormatError } from '../errors';
import type { CheckpointContents, CheckpointData, NamedTensor } from '../io/checkpoint';
import { optimizerState, restoreOptimizerState } from '../io/checkpoint-optimizer';
import type { RandomStreamState } from '../random';
import type { VariableAverage } from './ema';
import { headOf, type TrainingSetup } from './options';

/** What a Trainer puts into, and takes back from, a checkpoint. */
export interface TrainerState {
  setup: TrainingSetup;
  step: number;
  random: { training: RandomStreamState; sampling: RandomStreamState };
  generatorOptimizer: tf.Optimizer;
  discriminatorOptimizer: tf.Optimizer;
  average?: VariableAverage;
}

/** The configuration a checkpoint records, and that a resume must match. */
function configOf(setup: TrainingSetup) {
  return {
    loss: setup.loss.name,
    latentDim: setup.latentDim,
    discriminatorSteps: setup.discriminatorSteps,
    generatorSteps: setup.generatorSteps,
    emaDecay: setup.emaDecay ?? null,
    weightClipping: setup.weightClipping ?? null,
    classes: setup.conditioning?.classes ?? null,
    discriminatorConditioning: conditioningMode(setup),
    auxiliaryHead: headOf(setup)?.name ?? null,
  };
}

function conditioningMode(setup: TrainingSetup): 'input' | 'auxiliary' | null {
  if (!setup.conditioning) return null;
  return setup.conditioning.discriminatorTakesLabels ? 'input' : 'auxiliary';
}

/** Variables named by position (layer names are numbered per process, positions are not). */
function named(variables: tf.Variable[]): NamedTensor[] {
  return variables.map((v, i) => ({ name: `${i}:${v.name}`, tensor: v }));
}

/** Everything a checkpoint holds, read from the live trainer (the tensors stay the trainer's). */
export async function checkpointContents(state: TrainerState): Promise<{
  contents: CheckpointContents;
  temporary: tf.Tensor[];
}> {
  const generatorOptimizer = await optimizerState(state.generatorOptimizer);
  const discriminatorOptimizer = await optimizerState(state.discriminatorOptimizer);
  const groups: Record<string, NamedTensor[]> = {
    generator: named(state.setup.generator.state()),
    discriminator: named(state.setup.discriminator.state()),
    generatorOptimizer,
    discriminatorOptimizer,
  };
  if (state.average) groups.generatorEma = named(state.average.values);
  const contents: CheckpointContents = {
    step: state.step,
    config: configOf(state.setup),
    random: state.random,
    groups,
  };
  const temporary = [...generatorOptimizer, ...discriminatorOptimizer].map((n) => n.tensor);
  return { contents, temporary };
}

function mismatch(source: string, what: string, expected: unknown, got: unknown): never {
  throw new FormatError(
    source,
    `Trainer.loadCheckpoint: ${what} does not match this trainer: expected ` +
      `${JSON.stringify(expected)}, got ${JSON.stringify(got)}.`,
  );
}

/** Checks that a group fits `variables` (count and shapes) before anything is assigned. */
function checkGroup(
  source: string,
  group: string,
  saved: NamedTensor[] = [],
  variables: tf.Variable[],
) {
  if (saved.length !== variables.length) {
    mismatch(source, `the number of ${group} weights`, variables.length, saved.length);
  }
  saved.forEach(({ name, tensor }, i) => {
    const want = variables[i].shape;
    if (want.length !== tensor.shape.length || want.some((d, k) => d !== tensor.shape[k])) {
      mismatch(source, `the shape of ${group} weight ${name}`, want, tensor.shape);
    }
  });
}

/**
 * Puts a decoded checkpoint back into the trainer's variables and optimisers. Every check
 * runs before the first assignment, so a checkpoint that does not fit changes nothing.
 */
export async function restoreContents(
  state: TrainerState,
  data: CheckpointData,
  source: string,
): Promise<void> {
  const config = configOf(state.setup);
  for (const [key, value] of Object.entries(config)) {
    // Keys a checkpoint from before they existed lacks stand for their unconditional null.
    const saved = data.config[key] ?? null;
    if (saved !== value) mismatch(source, `config.${key}`, value, saved);
  }
  const generator = state.setup.generator.state();
  const discriminator = state.setup.discriminator.state();
  checkGroup(source, 'generator', data.groups.generator, generator);
  checkGroup(source, 'discriminator', data.groups.discriminator, discriminator);
  if (state.average)
    checkGroup(source, 'generatorEma', data.groups.generatorEma, state.average.values);
  const assign = (variables: tf.Variable[], saved: NamedTensor[] = []) =>
    variables.forEach((v, i) => v.assign(saved[i].tensor));
  assign(generator, data.groups.generator);
  assign(discriminator, data.groups.discriminator);
  if (state.average) assign(state.average.values, data.groups.generatorEma);
  await restoreOptimizerState(state.generatorOptimizer, data.groups.generatorOptimizer ?? []);
  await restoreOptimizerState(
    state.discriminatorOptimizer,
    data.groups.discriminatorOptimizer ?? [],
  );
}
