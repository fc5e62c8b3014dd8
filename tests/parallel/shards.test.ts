import { describe, expect, it } from 'vitest';

import {
  shardBounds,
  shardShares,
  shardSizes,
  weightedMean,
  weightedSlotSum,
} from '../../src/parallel/shards';

describe('shardSizes', () => {
  it('cuts a batch as evenly as possible, larger shards first', () => {
    // 64 = 22 + 21 + 21; 7 = 4 + 3.
    expect(shardSizes(64, 3)).toEqual([22, 21, 21]);
    expect(shardSizes(7, 2)).toEqual([4, 3]);
    expect(shardBounds([22, 21, 21])).toEqual([0, 22, 43, 64]);
  });
});

describe('weightedMean', () => {
  it('gives the batch mean from the shard means', () => {
    // Rows [1, 2, 3, 4] and [5, 6, 7]: means 2.5 and 6, shares 4/7 and 3/7;
    // 2.5·4/7 + 6·3/7 = (10 + 18) / 7 = 4, the mean of 1..7.
    expect(weightedMean([2.5, 6], shardShares([4, 3]))).toBeCloseTo(4, 12);
  });
});

describe('weightedSlotSum', () => {
  it('sums one stretch of every slot with the shares', () => {
    const slots = [new Float32Array([9, 1, 2, 9]), new Float32Array([9, 3, 4, 9])];
    // Stretch [1, 3): 0.5·[1, 2] + 0.5·[3, 4] = [2, 3].
    expect([...weightedSlotSum(slots, [0.5, 0.5], 1, 2)]).toEqual([2, 3]);
  });
});
