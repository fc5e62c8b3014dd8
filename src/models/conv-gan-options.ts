import { checkInteger, checkOneOf, checkRange, describeValue } from '../errors';
import type { BlockNorm } from '../layers/blocks';

/** The options that {@link DCGAN} and {@link SeriesDCGAN} share, as each documents them. */
export interface ConvGanOptions {
  baseFilters?: number;
  kernelSize?: number;
  generatorActivation?: 'relu' | 'leakyRelu';
  generatorNorm?: BlockNorm;
  discriminatorNorm?: BlockNorm;
  leakyReluAlpha?: number;
  batchNormMomentum?: number;
  minibatchStdDev?: boolean | number;
  spectralNorm?: boolean;
  seed?: number;
}

/** The shared options with their defaults filled in. */
export type ResolvedConvGanOptions = Required<ConvGanOptions>;

const NORMS: BlockNorm[] = ['batch', 'instance', 'pixel', 'layer', 'none'];

/**
 * Fills in the shared options' defaults and checks them; `where` names the model in errors.
 * The seed, when omitted, is drawn at random.
 */
export function resolveConvGanOptions(
  where: string,
  options: ConvGanOptions,
): ResolvedConvGanOptions {
  const o: ResolvedConvGanOptions = {
    baseFilters: options.baseFilters ?? 64,
    kernelSize: options.kernelSize ?? 5,
    generatorActivation: options.generatorActivation ?? 'relu',
    generatorNorm: options.generatorNorm ?? 'batch',
    discriminatorNorm: options.discriminatorNorm ?? 'batch',
    leakyReluAlpha: options.leakyReluAlpha ?? 0.2,
    batchNormMomentum: options.batchNormMomentum ?? 0.9,
    minibatchStdDev: options.minibatchStdDev ?? false,
    spectralNorm: options.spectralNorm ?? false,
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
  };
  checkInteger(where, 'baseFilters', o.baseFilters, 1);
  checkInteger(where, 'kernelSize', o.kernelSize, 1);
  checkOneOf(where, 'generatorActivation', o.generatorActivation, ['relu', 'leakyRelu']);
  checkOneOf(where, 'generatorNorm', o.generatorNorm, NORMS);
  checkOneOf(where, 'discriminatorNorm', o.discriminatorNorm, NORMS);
  checkRange(where, 'leakyReluAlpha', o.leakyReluAlpha, 0, 1);
  checkRange(where, 'batchNormMomentum', o.batchNormMomentum, 0, 1);
  checkInteger(where, 'seed', o.seed, 0);
  if (typeof o.spectralNorm !== 'boolean') {
    throw new TypeError(
      `${where}: spectralNorm must be a boolean, got ${describeValue(o.spectralNorm)}.`,
    );
  }
  if (typeof o.minibatchStdDev === 'number') {
    checkInteger(where, 'minibatchStdDev (group size)', o.minibatchStdDev, 1);
  } else if (typeof o.minibatchStdDev !== 'boolean') {
    throw new TypeError(
      `${where}: minibatchStdDev must be a boolean or a group size, got ` +
        `${describeValue(o.minibatchStdDev)}.`,
    );
  }
  return o;
}
