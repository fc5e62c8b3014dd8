/**
 * The Trainer's overhead against the hand-written loop, repeated: `npx tsx bench/overhead.ts
 * [runs] [blocks] [steps per block]` (defaults 6, 16, 40) measures the MLP GAN on wasm `runs`
 * times in one process and prints each run's median of paired blocks, then the median of the
 * runs: the figure `bench:speed` gives once, with its spread.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installTrainingKernels } from '../src/kernels/install';
import { overhead } from './lib/overhead';
import { median } from './lib/timing';

async function main(): Promise<void> {
  const [runs, blocks, steps] = [6, 16, 40].map((fallback, i) =>
    Number(process.argv[2 + i] ?? fallback),
  );
  if (![runs, blocks, steps].every((n) => Number.isInteger(n) && n > 0)) {
    throw new RangeError(
      `usage: tsx bench/overhead.ts [runs] [blocks] [steps per block]; got ${JSON.stringify(process.argv.slice(2))}.`,
    );
  }
  await tf.setBackend('wasm');
  await tf.ready();
  installTrainingKernels();
  const figures: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const [trainer, hand, percent] = await overhead('mlp', blocks, steps);
    figures.push(percent);
    process.stdout.write(
      `run ${run}: Trainer ${trainer.toFixed(1)} vs hand ${hand.toFixed(1)} steps/s, overhead ${percent.toFixed(1)}%\n`,
    );
  }
  process.stdout.write(
    `median of ${runs} runs: ${median(figures).toFixed(1)}% (range ${Math.min(...figures).toFixed(1)} to ${Math.max(...figures).toFixed(1)})\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
