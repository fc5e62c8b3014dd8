import { ClassEmbedding } from '../layers/class-embedding';
import { ClassProjection } from '../layers/class-projection';
import { FadeIn } from '../layers/fade-in';
import { InstanceNormalization } from '../layers/instance-normalization';
import { MinibatchDiscrimination } from '../layers/minibatch-discrimination';
import { MinibatchStdDev } from '../layers/minibatch-stddev';
import { PackSamples, RepeatPacks } from '../layers/packing';
import { PixelNormalization } from '../layers/pixel-normalization';
import { PixelShuffle } from '../layers/pixel-shuffle';
import { registerLayer } from '../layers/register';
import { SpectralNormalization } from '../layers/spectral-normalization';
import { Maxout } from '../models/mlp-maxout';

/**
 * Every layer class this library registers, so a worker can rebuild models that contain
 * them. Named here rather than imported for their side effect, which a bundler may drop
 * (the package declares its sources free of side effects); a test checks the list is whole.
 */
export const LIBRARY_LAYERS = [
  FadeIn,
  InstanceNormalization,
  MinibatchDiscrimination,
  MinibatchStdDev,
  PackSamples,
  RepeatPacks,
  PixelNormalization,
  PixelShuffle,
  SpectralNormalization,
  Maxout,
  ClassEmbedding,
  ClassProjection,
];

/** Registers every class of {@link LIBRARY_LAYERS} (again: registration is idempotent). */
export function registerLibraryLayers(): void {
  for (const layer of LIBRARY_LAYERS) registerLayer(layer);
}
