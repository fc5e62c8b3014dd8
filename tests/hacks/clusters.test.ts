import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { kMeans } from '../../src/hacks/clusters';

/**
 * Three groups of four points, each point a centre ± 0.5 on one axis, so each group's mean is
 * its centre exactly: (0, 0), (10, 0) and (0, 10). The groups are 10 apart and a group's
 * points at most 1 apart, so every seeding that takes one point from each group ends in them.
 */
const CENTRES = [
  [0, 0],
  [10, 0],
  [0, 10],
];
const OFFSETS = [
  [0.5, 0],
  [-0.5, 0],
  [0, 0.5],
  [0, -0.5],
];
// Interleaved, so the groups are not contiguous: point i belongs to group i % 3.
const POINTS = Array.from({ length: 12 }, (_, i) => {
  const [cx, cy] = CENTRES[i % 3];
  const [dx, dy] = OFFSETS[Math.floor(i / 3)];
  return [cx + dx, cy + dy];
});

describe('kMeans', () => {
  it('finds three separated groups, their sizes and their means', async () => {
    const points = tf.tensor2d(POINTS);
    const { assignments, sizes, centroids } = await kMeans(points, 3, { seed: 7 });
    // Points of one group share a cluster, and the three groups have three different ones.
    const clusterOfGroup = [0, 1, 2].map((g) => assignments[g]);
    expect(new Set(clusterOfGroup).size).toBe(3);
    for (let i = 0; i < 12; i++) expect(assignments[i]).toBe(clusterOfGroup[i % 3]);
    expect(sizes).toEqual([4, 4, 4]);
    const centres = (await centroids.array()) as number[][];
    for (let g = 0; g < 3; g++) {
      expect(centres[clusterOfGroup[g]][0]).toBeCloseTo(CENTRES[g][0], 5);
      expect(centres[clusterOfGroup[g]][1]).toBeCloseTo(CENTRES[g][1], 5);
    }
    tf.dispose([points, centroids]);
  });

  it('gives the same clusters for the same seed and frees its intermediates', async () => {
    const points = tf.randomUniform([200, 5], -1, 1, 'float32', 3) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const a = await kMeans(points, 6, { seed: 11 });
    const b = await kMeans(points, 6, { seed: 11 });
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
    expect(a.sizes.reduce((x, y) => x + y, 0)).toBe(200);
    // Only the two results' centroids remain.
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([points, a.centroids, b.centroids]);
  });

  it('puts every point in its own cluster when k equals the points', async () => {
    const points = tf.tensor2d(POINTS.slice(0, 5));
    const { assignments, sizes, centroids } = await kMeans(points, 5);
    expect(new Set(assignments).size).toBe(5);
    expect(sizes).toEqual([1, 1, 1, 1, 1]);
    tf.dispose([points, centroids]);
  });

  it('lowers the within-cluster sum of squares below one cluster’s', async () => {
    // One cluster's sum is the total squared distance to the overall mean; with the three
    // groups found it is the offsets' sum: 12 points · 0.5² = 3.
    const points = tf.tensor2d(POINTS);
    const { centroids, assignments } = await kMeans(points, 3, { seed: 2 });
    const centres = (await centroids.array()) as number[][];
    const within = POINTS.reduce((sum, [x, y], i) => {
      const [cx, cy] = centres[assignments[i]];
      return sum + (x - cx) ** 2 + (y - cy) ** 2;
    }, 0);
    expect(within).toBeCloseTo(3, 4);
    tf.dispose([points, centroids]);
  });

  it('names the argument when the input is wrong', async () => {
    const points = tf.tensor2d(POINTS.slice(0, 4));
    await expect(kMeans(points, 5)).rejects.toThrow(
      'kMeans: k must be at most the 4 points, got 5.',
    );
    await expect(kMeans(points, 0)).rejects.toThrow('kMeans: k must be');
    await expect(kMeans(points, 2, { iterations: 0 })).rejects.toThrow(
      'kMeans: iterations must be',
    );
    const flat = tf.tensor1d([1, 2, 3]);
    await expect(kMeans(flat as unknown as tf.Tensor2D, 1)).rejects.toThrow(
      'kMeans: points must be a 2-D float32 tensor [n, features], got float32 [3].',
    );
    await expect(kMeans(points, 2, { seeds: 1 } as never)).rejects.toThrow(/seeds/);
    tf.dispose([points, flat]);
  });
});
