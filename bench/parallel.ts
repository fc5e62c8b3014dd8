/**
 * `npx tsx bench/parallel.ts [--blocks N] [--steps N] [--workers N] [--mlp]`: steps per second
 * of the reference DCGAN (batch 64) on wasm, one process (the Trainer, one core) against the
 * ParallelTrainer with N workers (default 2), in one run. Blocks of steps alternate between
 * the two so that drift in the machine's load hits both; the ratio of the medians is the
 * figure. `--mlp` adds the reference MLP GAN (batch 256), where the exchanges dominate.
 *
 * Two more figures tell how to read the ratio. CPU milliseconds per step (all threads of the
 * process) against wall milliseconds: the workers' extra work, whatever the load. And the
 * capacity: how much faster two threads of plain arithmetic finish than one, measured just
 * before. On a shared machine the kernel's fair scheduler may give this process about one
 * core whatever its thread count (Linux's session autogroups share the CPU between sessions,
 * not threads); then the capacity is near 1× and so is any two-core speed-up.
 */
import { cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import { installTrainingKernels } from '../src/kernels/install';
import { ParallelTrainer } from '../src/parallel';
import { Trainer } from '../src/training/trainer';
import { fixed, formatTable, type Row } from './lib/table';
import { median, stepsPerSecond } from './lib/timing';
import { type ReferenceGan, referenceDcgan, referenceMlpGan, ringBatch } from './reference-models';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const blocks = flag('--blocks', 3);
const workers = flag('--workers', 2);

interface Case {
  name: string;
  build: () => ReferenceGan;
  real: (gan: ReferenceGan) => tf.Tensor;
  steps: number;
}

const CASES: Case[] = [
  {
    name: 'reference DCGAN, batch 64',
    build: () => referenceDcgan(1),
    real: (gan) => tf.randomUniform([gan.batchSize, 28, 28, 1], -1, 1, 'float32', 5),
    steps: flag('--steps', 4),
  },
];
if (args.includes('--mlp')) {
  CASES.push({
    name: 'reference MLP GAN, batch 256',
    build: () => referenceMlpGan(1),
    real: (gan) => ringBatch(gan.batchSize, 5),
    steps: 40,
  });
}

/** How many times faster `threads` threads finish a fixed sum of square roots than one. */
async function capacity(threads: number): Promise<number> {
  const code =
    "const { parentPort } = require('node:worker_threads');" +
    'parentPort.on("message", (n) => { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i); parentPort.postMessage(x); });';
  const pool = Array.from({ length: threads }, () => new Worker(code, { eval: true }));
  const run = (worker: Worker, n: number) =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(n);
    });
  const total = 2e8;
  try {
    await Promise.all(pool.map((w) => run(w, 1e6)));
    let start = performance.now();
    await run(pool[0], total);
    const one = performance.now() - start;
    start = performance.now();
    await Promise.all(pool.map((w) => run(w, total / threads)));
    return one / (performance.now() - start);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** Wall and CPU (all threads) milliseconds per step, over `steps` steps. */
async function timeSteps(step: () => Promise<unknown>, steps: number): Promise<[number, number]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const used = process.cpuUsage(cpu);
  return [(performance.now() - start) / steps, (used.user + used.system) / 1000 / steps];
}

interface Timing {
  /** Median steps per second over the blocks. */
  rate: number;
  /** CPU milliseconds per wall millisecond, over all blocks. */
  cores: number;
  /** CPU milliseconds per step, over all blocks. */
  cpuMs: number;
}

function summarise(blocksTimes: [number, number][]): Timing {
  const wall = blocksTimes.reduce((a, [w]) => a + w, 0);
  const cpu = blocksTimes.reduce((a, [, c]) => a + c, 0);
  return {
    rate: 1000 / median(blocksTimes.map(([w]) => w)),
    cores: cpu / wall,
    cpuMs: cpu / blocksTimes.length,
  };
}

/** Steps per second of one process and of the workers, over alternating blocks. */
async function compare(c: Case): Promise<[Timing, Timing]> {
  const oneGan = c.build();
  const parallelGan = c.build();
  const real = c.real(oneGan);
  const one = new Trainer({
    generator: oneGan.generator,
    discriminator: oneGan.discriminator,
    seed: 1,
  });
  const parallel = await ParallelTrainer.create({
    generator: parallelGan.generator,
    discriminator: parallelGan.discriminator,
    seed: 1,
    workers,
    backend: 'wasm',
  });
  try {
    await stepsPerSecond(() => one.step(real), 2, 0);
    await stepsPerSecond(() => parallel.step(real), 2, 0);
    const oneTimes: [number, number][] = [];
    const parallelTimes: [number, number][] = [];
    for (let b = 0; b < blocks; b++) {
      oneTimes.push(await timeSteps(() => one.step(real), c.steps));
      parallelTimes.push(await timeSteps(() => parallel.step(real), c.steps));
    }
    return [summarise(oneTimes), summarise(parallelTimes)];
  } finally {
    await parallel.dispose();
    one.dispose();
    real.dispose();
    oneGan.dispose();
    parallelGan.dispose();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg()[0];
  await tf.setBackend('wasm');
  await tf.ready();
  installTrainingKernels('wasm');
  const threads = await capacity(workers);
  const rows: Row[] = [];
  for (const c of CASES) {
    const [one, parallel] = await compare(c);
    rows.push([
      c.name,
      fixed(one.rate),
      fixed(parallel.rate),
      `${(parallel.rate / one.rate).toFixed(2)}×`,
      `${one.cpuMs.toFixed(0)} / ${parallel.cpuMs.toFixed(0)}`,
      `${one.cores.toFixed(2)} / ${parallel.cores.toFixed(2)}`,
    ]);
  }
  const header = [
    'step (wasm)',
    '1 process, steps/s',
    `${workers} workers, steps/s`,
    'workers ÷ 1',
    'CPU ms/step (1 / workers)',
    'cores busy (1 / workers)',
  ];
  console.log(formatTable(header, rows));
  console.log(
    `\nCapacity: ${workers} threads of plain arithmetic ran ${threads.toFixed(2)}× as fast as one.`,
  );
  console.log(
    `${new Date().toISOString()}, Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model}, ` +
      `${blocks} blocks each, ${((performance.now() - started) / 1000).toFixed(0)} s; 1-min load average ` +
      `${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (above 1 means other ` +
      'processes shared the cores and the figures are low)',
  );
}

await main();
