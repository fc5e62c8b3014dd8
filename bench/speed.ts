/**
 * `npm run bench:speed`: one table from one run. Steps per second of the reference DCGAN and
 * MLP GAN on wasm and cpu, stock kernels against ours; GFLOP/s of each convolution kernel on
 * the reference layer shapes; the Trainer's overhead against a hand-written loop; tensor count
 * and resident memory over many steps; and the PyTorch peer run in the same invocation.
 *
 * Flags: `--quick` (fewer steps, no minutes-long stock cpu kernel timings),
 * `--memory-steps N` (MLP steps of the memory check, default 1000),
 * `--dcgan-memory-steps N` (DCGAN steps of the memory check, default 30),
 * `--workers N` (ParallelTrainer workers of the both-cores row, default 2; 0 leaves it out).
 */
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installTrainingKernels, uninstallTrainingKernels } from '../src/kernels/install';
import { Trainer } from '../src/training/trainer';
import { memory, trainerSpeed, workersSpeed } from './lib/steps';
import { recordKernelCalls, timeStockCall } from './lib/kernel-calls';
import { type KernelTiming, timeConvKernels } from './lib/conv-kernels';
import { fixed, formatTable, type Row } from './lib/table';
import { build, type Kind, overhead, realBatch } from './lib/overhead';
import { tapsBuildNote } from './lib/timing';
import { peerUnavailable, runPeer, torchBlas } from './lib/torch-peer';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const memorySteps = flag('--memory-steps', quick ? 200 : 1000);
const dcganMemorySteps = flag('--dcgan-memory-steps', quick ? 10 : 30);
const workers = flag('--workers', 2);

/** One table row: what, backend, unit, stock, ours, ours ÷ stock, torch, ours ÷ torch, note. */
const rows: Row[] = [];
const torch: Partial<Record<`${Kind}${1 | 2}`, number>> = {};

function addRow(
  what: string,
  backend: string,
  unit: string,
  stock: string,
  ours: string,
  ratio: string,
  note = '',
) {
  rows.push([what, backend, unit, stock, ours, ratio, note]);
}

async function useBackend(name: string, kernels: boolean): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
  if (kernels) installTrainingKernels(name);
  else uninstallTrainingKernels(name);
}

function ratio(
  ours: number | string,
  stock: number | string | null | undefined,
  digits = 1,
): string {
  return typeof ours === 'number' && typeof stock === 'number'
    ? `${(ours / stock).toFixed(digits)}×`
    : '';
}

function speedCell(value: number | string | null | undefined, digits = 2): string {
  if (typeof value === 'number') return fixed(value, digits);
  return value ?? '-';
}

function kernelRows(backend: string, timings: KernelTiming[]): void {
  for (const t of timings) {
    const ours = t.gflop / (t.oursMs / 1000);
    const stock = t.stockMs == null ? t.stockMs : t.gflop / (t.stockMs / 1000);
    const stockCell =
      t.stockMs === null ? 'none' : t.stockMs === undefined ? 'skipped' : fixed(stock);
    const reference = !t.replaced;
    addRow(
      `${t.kernelName}${reference ? ' (stock, reference)' : ''} ${t.layer}`,
      backend,
      'GFLOP/s',
      stockCell,
      reference ? '' : fixed(ours),
      reference ? '' : ratio(ours, stock ?? undefined),
      `${t.gflop.toFixed(2)} GFLOP/call, ours ${t.oursMs.toFixed(1)} ms`,
    );
  }
}

/**
 * The stock cpu DCGAN step takes minutes, so it is extrapolated: our step's time, plus for
 * every convolution call of the step (forward and both gradients) the stock kernel's time
 * minus ours.
 */
async function stockCpuDcganEstimate(
  oursStepsPerSec: number,
  timings: KernelTiming[],
): Promise<number | string> {
  const gan = build('dcgan');
  const trainer = new Trainer({
    generator: gan.generator,
    discriminator: gan.discriminator,
    seed: 1,
  });
  const real = realBatch(gan, 'dcgan');
  await trainer.step(real);
  const calls = await recordKernelCalls(
    'cpu',
    [tf.Conv2D, tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput],
    async () => {
      await trainer.step(real);
    },
  );
  tf.dispose(real);
  trainer.dispose();
  gan.dispose();
  let seconds = 1 / oursStepsPerSec;
  for (const [key, group] of calls) {
    let stockMs = timings.find((t) => t.key === key)?.stockMs;
    if (stockMs === undefined && quick) return 'skipped (--quick)';
    stockMs ??= timeStockCall('cpu', group.kernelName, group.shapes, group.attrs);
    if (stockMs === null) return 'no stock kernel';
    seconds += (group.count * stockMs - group.ms) / 1000;
  }
  return 1 / seconds;
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg()[0];
  const steps = quick ? 3 : 5;
  // wasm
  await useBackend('wasm', false);
  const wasmDcganStock = await trainerSpeed('dcgan', false, 1, 1);
  const wasmMlpStock = await trainerSpeed('mlp', false, 5, quick ? 20 : 50);
  await useBackend('wasm', true);
  const wasmDcgan = await trainerSpeed('dcgan', true, 2, steps);
  const wasmMlp = await trainerSpeed('mlp', true, 5, quick ? 20 : 50);
  addRow(
    'DCGAN step, Trainer',
    'wasm 1 core',
    'steps/s',
    speedCell(wasmDcganStock),
    speedCell(wasmDcgan),
    ratio(wasmDcgan, wasmDcganStock),
  );
  const wasmDcganWorkers = workers > 0 ? await workersSpeed('dcgan', workers, 2, steps) : null;
  if (wasmDcganWorkers !== null) {
    addRow(
      'DCGAN step, ParallelTrainer',
      `wasm ${workers} workers`,
      'steps/s',
      '',
      speedCell(wasmDcganWorkers),
      '',
      `${ratio(wasmDcganWorkers, wasmDcgan)} the one-core Trainer; each worker takes 1/${workers} of the batch`,
    );
  }
  addRow(
    'MLP GAN step, Trainer',
    'wasm 1 core',
    'steps/s',
    speedCell(wasmMlpStock, 1),
    speedCell(wasmMlp, 1),
    ratio(wasmMlp, wasmMlpStock),
  );
  kernelRows('wasm', timeConvKernels(true));
  const [dcganTrainer, dcganHand, dcganOverhead] = await overhead('dcgan', quick ? 2 : 3, 3);
  addRow(
    'Trainer overhead vs hand loop, DCGAN',
    'wasm',
    '%',
    '',
    fixed(dcganOverhead, 1),
    '',
    `Trainer ${dcganTrainer.toFixed(2)} vs hand ${dcganHand.toFixed(2)} steps/s; % is the median of paired blocks`,
  );
  const [mlpTrainer, mlpHand, mlpOverhead] = await overhead('mlp', quick ? 8 : 32, 40);
  addRow(
    'Trainer overhead vs hand loop, MLP GAN',
    'wasm',
    '%',
    '',
    fixed(mlpOverhead, 1),
    '',
    `Trainer ${mlpTrainer.toFixed(1)} vs hand ${mlpHand.toFixed(1)} steps/s; % is the median of paired blocks`,
  );
  addRow('Memory, MLP GAN', 'wasm', '', '', '', '', await memory('mlp', memorySteps));
  addRow('Memory, DCGAN', 'wasm', '', '', '', '', await memory('dcgan', dcganMemorySteps));
  // cpu
  await useBackend('cpu', false);
  const cpuMlpStock = await trainerSpeed('mlp', false, 3, quick ? 10 : 20);
  await useBackend('cpu', true);
  const cpuMlp = await trainerSpeed('mlp', true, 3, quick ? 10 : 20);
  const cpuDcgan = await trainerSpeed('dcgan', true, 1, quick ? 1 : 2);
  const cpuTimings = timeConvKernels(!quick);
  const cpuDcganStock =
    typeof cpuDcgan === 'number' ? await stockCpuDcganEstimate(cpuDcgan, cpuTimings) : '-';
  addRow(
    'DCGAN step, Trainer',
    'cpu',
    'steps/s',
    speedCell(cpuDcganStock, 4),
    speedCell(cpuDcgan, 3),
    ratio(cpuDcgan, cpuDcganStock),
    'stock extrapolated: our step + Σ calls (stock − ours) of the convolution kernels',
  );
  addRow(
    'MLP GAN step, Trainer',
    'cpu',
    'steps/s',
    speedCell(cpuMlpStock, 1),
    speedCell(cpuMlp, 1),
    ratio(cpuMlp, cpuMlpStock),
  );
  kernelRows('cpu', cpuTimings);
  // PyTorch peer, last so that it does not share the machine with the tfjs runs.
  const missing = peerUnavailable();
  if (missing == null) {
    const blas = torchBlas();
    for (const kind of ['dcgan', 'mlp'] as const) {
      for (const threads of [1, 2] as const) {
        const peer = runPeer(
          kind,
          threads,
          kind === 'dcgan' ? (quick ? 10 : 20) : quick ? 100 : 200,
        );
        torch[`${kind}${threads}`] = peer.stepsPerSec;
        // Both cores' figure against two threads, where there is one (the DCGAN's workers).
        const both = kind === 'dcgan' && threads === 2 && wasmDcganWorkers !== null;
        const ours = both ? wasmDcganWorkers : kind === 'dcgan' ? wasmDcgan : wasmMlp;
        const oursName = both ? `wasm ${workers} workers` : 'wasm 1 core';
        addRow(
          `PyTorch peer ${kind === 'dcgan' ? 'DCGAN' : 'MLP GAN'} step`,
          `torch ${threads} thread${threads > 1 ? 's' : ''}`,
          'steps/s',
          '',
          fixed(peer.stepsPerSec),
          '',
          `torch ${peer.torch}, BLAS ${blas}; ${oursName} ÷ this = ${ratio(ours, peer.stepsPerSec, 2)}`,
        );
      }
    }
  } else {
    addRow('PyTorch peer', '-', '', '', '', '', `skipped: ${missing}`);
  }
  const header = ['measure', 'backend', 'unit', 'stock', 'ours', 'ours÷stock', 'note'];
  console.log(formatTable(header, rows));
  console.log(
    `\n${new Date().toISOString()}, Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model}, ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s; 1-min load average ` +
      `${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (above 1 means other ` +
      'processes shared the cores and the figures are low)',
  );
  console.log(tapsBuildNote());
}

await main();
