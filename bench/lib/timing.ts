/** Timing helpers shared by the bench scripts. */
import * as tf from '@tensorflow/tfjs';
import { tapsBuild } from '../../src/kernels/wasm/taps_instance';

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Backends whose kernels have finished when their op returns. */
const SYNCHRONOUS_BACKENDS = new Set(['cpu', 'wasm']);

/**
 * Median milliseconds of a synchronous tensor computation on `inputs`, repeated for about
 * `budgetMs` (once when the first run already takes longer than that). Every run gets fresh
 * copies of the inputs, made outside the timed region, as in training, where each call sees
 * new tensors: the wasm backend caches XNNPACK's packed copy of a matrix product's right
 * operand and of a convolution's filter per tensor, so reusing one input would time a packing
 * that training pays on every call as free.
 *
 * On `cpu` and `wasm` a kernel has finished when its op returns, so the clock stops there and
 * the output is not read back: on `wasm` that read is a copy out of the heap (1.4 ms for the
 * 3.2 MB output of the 1→64 reference convolution, more than the convolution itself) that
 * training never makes. Other backends run asynchronously and are read back to wait for them.
 */
export function timeKernelMs<T extends tf.Tensor[]>(
  inputs: T,
  run: (...fresh: T) => tf.Tensor,
  budgetMs = 1000,
): number {
  const once = () => {
    const fresh = inputs.map((t) => tf.mul(t, 1)) as T;
    for (const t of fresh) t.dataSync();
    const start = performance.now();
    const out = run(...fresh);
    if (!SYNCHRONOUS_BACKENDS.has(tf.getBackend())) out.dataSync();
    const ms = performance.now() - start;
    tf.dispose([out, ...fresh]);
    return ms;
  };
  const first = once();
  if (first > budgetMs) return first;
  const times: number[] = [];
  const deadline = performance.now() + budgetMs;
  while (times.length < 3 || (performance.now() < deadline && times.length < 50))
    times.push(once());
  return median(times);
}

/** Steps per second of `step` over `steps` runs after `warmup` runs. */
export async function stepsPerSecond(
  step: () => Promise<unknown>,
  warmup: number,
  steps: number,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await step();
  const start = performance.now();
  for (let i = 0; i < steps; i++) await step();
  return (steps * 1000) / (performance.now() - start);
}

/** Resident set size of this process, in MB. */
export function rssMb(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

/** Which build of the SIMD tap kernels this engine runs, for a bench's footer. */
export function tapsBuildNote(): string {
  const build = tapsBuild();
  if (build === 'relaxed') return 'wasm tap kernels: relaxed build (fused multiply-add).';
  if (build === 'plain') {
    return (
      'wasm tap kernels: plain SIMD build (this engine has no relaxed SIMD; on Node 20 run ' +
      '`node --experimental-wasm-relaxed-simd --import tsx <bench>` for fused multiply-adds).'
    );
  }
  return 'wasm tap kernels: none (this engine has no WebAssembly SIMD).';
}
