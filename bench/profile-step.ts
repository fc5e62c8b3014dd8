/**
 * Where the milliseconds of one reference DCGAN step go, kernel by kernel: wraps every kernel
 * registered for the backend with a timer, runs a few Trainer steps and prints the totals per
 * kernel (and per kernel and shape with `--shapes`). Run: `npx tsx bench/profile-step.ts wasm`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { Trainer } from '../src/training/trainer';
import { installTrainingKernels } from '../src/kernels/install';
import { referenceDcgan } from './reference-models';

const backendName = process.argv[2] ?? 'wasm';
const steps = Number(process.argv[3] ?? 3);
const byShape = process.argv.includes('--shapes');

interface Tally {
  calls: number;
  ms: number;
}
const tallies = new Map<string, Tally>();

function wrapAll(): void {
  for (const config of tf.getKernelsForBackend(backendName)) {
    const { kernelName, kernelFunc } = config;
    const timed: KernelConfig = {
      ...config,
      kernelFunc: (args) => {
        const start = performance.now();
        const out = kernelFunc(args);
        const ms = performance.now() - start;
        const shapes = byShape
          ? ' ' +
            Object.values(args.inputs)
              .filter((t) => t != null)
              .map((t) => `[${(t as TensorInfo).shape}]`)
              .join(' ')
          : '';
        const key = kernelName + shapes;
        const tally = tallies.get(key) ?? { calls: 0, ms: 0 };
        tally.calls++;
        tally.ms += ms;
        tallies.set(key, tally);
        return out;
      },
    };
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(timed);
  }
}

await tf.setBackend(backendName);
installTrainingKernels(backendName);
const gan = referenceDcgan(1);
const trainer = new Trainer({
  generator: gan.generator,
  discriminator: gan.discriminator,
  seed: 1,
});
const real = tf.randomUniform([64, 28, 28, 1], -1, 1);
await trainer.step(real);
wrapAll();
const start = performance.now();
for (let i = 0; i < steps; i++) await trainer.step(real);
const wall = (performance.now() - start) / steps;
const rows = [...tallies].sort((a, b) => b[1].ms - a[1].ms);
const inKernels = rows.reduce((sum, [, t]) => sum + t.ms, 0) / steps;
console.log(`${backendName}: ${wall.toFixed(1)} ms/step, ${inKernels.toFixed(1)} ms in kernels`);
for (const [name, t] of rows.slice(0, 40)) {
  console.log(
    `${(t.ms / steps).toFixed(2).padStart(9)} ms  ${String(t.calls / steps).padStart(5)}×  ${name}`,
  );
}
