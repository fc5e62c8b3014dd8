import { checkInteger, describeValue } from '../errors';

/** The smallest and largest seed side a DCGAN generator starts from. */
export const MIN_SEED = 4;
export const MAX_SEED = 7;

/**
 * How a {@link DCGAN} reaches an image size: a seed grid doubled `stages` times.
 *
 * @category Models
 */
export interface DcganPlan {
  /** Height of the generator's first feature map. */
  seedHeight: number;
  /** Width of the generator's first feature map. */
  seedWidth: number;
  /** How many stride-2 (transposed) convolutions each network has. */
  stages: number;
}

/**
 * The image sides a {@link DCGAN} can build, up to `limit`: every seed side from 4 to 7
 * doubled one or more times.
 *
 * @param limit - the largest side to list. @defaultValue 128
 * @returns the sides in increasing order: 8, 10, 12, 14, 16, 20, 24, 28, 32, ...
 * @example
 * ```ts
 * import { dcganSides } from 'tfjs-gan';
 * dcganSides(32); // [8, 10, 12, 14, 16, 20, 24, 28, 32]
 * ```
 * @category Models
 */
export function buildableSides(limit = 128): number[] {
  const sides = new Set<number>();
  for (let seed = MIN_SEED; seed <= MAX_SEED; seed++) {
    for (let side = seed * 2; side <= limit; side *= 2) sides.add(side);
  }
  return [...sides].sort((a, b) => a - b);
}

/** The number of doublings from a seed in [4, 7] to `side`, or -1 when there is none. */
export function doublings(side: number): number {
  let stages = 0;
  let seed = side;
  while (seed > MAX_SEED && seed % 2 === 0) {
    seed /= 2;
    stages++;
  }
  return seed >= MIN_SEED && seed <= MAX_SEED && stages >= 1 ? stages : -1;
}

/**
 * Works out the seed grid and the number of stride-2 stages for `imageShape`, or throws a
 * `RangeError` that lists the sizes that work.
 */
export function planDcgan(imageShape: unknown): DcganPlan {
  const where = 'DCGAN';
  if (!Array.isArray(imageShape) || imageShape.length !== 3) {
    throw new TypeError(
      `${where}: imageShape must be [height, width, channels], got ${describeValue(imageShape)}.`,
    );
  }
  const [height, width, channels] = imageShape as number[];
  checkInteger(where, 'imageShape[0] (height)', height, 1);
  checkInteger(where, 'imageShape[1] (width)', width, 1);
  checkInteger(where, 'imageShape[2] (channels)', channels, 1);
  const stagesH = doublings(height);
  const stagesW = doublings(width);
  const sizes = `${buildableSides().join(', ')}, ...`;
  if (stagesH < 0 || stagesW < 0) {
    const bad = stagesH < 0 ? height : width;
    throw new RangeError(
      `${where}: imageShape ${describeValue(imageShape)} cannot be built: each side must be a ` +
        `seed size from ${MIN_SEED} to ${MAX_SEED} doubled one or more times ` +
        `(${sizes}), got side ${bad}.`,
    );
  }
  if (stagesH !== stagesW) {
    throw new RangeError(
      `${where}: imageShape ${describeValue(imageShape)} cannot be built: height and width ` +
        `must be doubled the same number of times from seeds from ${MIN_SEED} to ${MAX_SEED}, ` +
        `got ${stagesH} doublings for ${height} and ${stagesW} for ${width}.`,
    );
  }
  return { seedHeight: height >> stagesH, seedWidth: width >> stagesW, stages: stagesH };
}
