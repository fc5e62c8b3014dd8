/**
 * `npm run bench:quality`: does it generate well? Mode coverage on the ring and grid mixtures
 * next to Lin et al. (2018) Table 1, and MNIST scores from the repository's own classifier for
 * the DCGAN example's defaults, the best recipe, the best recipe self-conditioned on k-means
 * clusters of the digits (no labels) and (apart: it learns from the labels) the best recipe
 * made class-conditional, next to held-out real test digits.
 *
 * Each training run is a separate process on the wasm backend (one thread each); `--jobs`
 * of them run at once. Flags:
 *   --seeds N          seeds per mixture recipe                          [3]
 *   --ring-steps N     training steps on the ring                        [10000]
 *   --grid-steps N     training steps on the grid                        [20000]
 *   --mnist-steps N    DCGAN training steps (batch 64)                   [4000]
 *   --mnist-samples N  generated and real digits scored                  [10000]
 *   --jobs N           processes at once                                 [2]
 *   --only NAME        'mixtures' or 'mnist'
 * The published protocol trains far longer (Lin et al.: 400 epochs); see docs/metrics.md.
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { fixed, formatTable, type Row } from './lib/table';
import type { MixtureRunResult } from './quality/mixture-run';
import type { DigitScores } from './quality/mnist-run';
import { MIXTURE_RECIPES, MNIST_RECIPES } from './quality/recipes';
import type { Job } from './quality/worker';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    'ring-steps': { type: 'string', default: '10000' },
    'grid-steps': { type: 'string', default: '20000' },
    'mnist-steps': { type: 'string', default: '4000' },
    'mnist-samples': { type: 'string', default: '10000' },
    jobs: { type: 'string', default: '2' },
    only: { type: 'string' },
  },
});
const num = (name: keyof typeof values) => Number(values[name]);
const here = dirname(fileURLToPath(import.meta.url));

/** Lin et al. 2018, Table 1: modes, high-quality samples (%), reverse KL. */
const PUBLISHED = {
  ring: [
    ['GAN (Lin et al. 2018)', 6.3, 98.2, 0.45],
    ['PacGAN4 (Lin et al. 2018)', 7.8, 95.9, 0.07],
  ],
  grid: [
    ['GAN (Lin et al. 2018)', 17.3, 94.8, 0.7],
    ['PacGAN4 (Lin et al. 2018)', 24.8, 93.6, 0.04],
  ],
} as const;

function runJob(job: Job): Promise<{ job: Job; result: unknown }> {
  const tsx = join(here, '..', 'node_modules', '.bin', 'tsx');
  return new Promise((resolve, reject) => {
    execFile(
      tsx,
      [join(here, 'quality', 'worker.ts'), JSON.stringify(job)],
      { maxBuffer: 1 << 24 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${JSON.stringify(job)} failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!));
      },
    );
  });
}

async function runAll(jobs: Job[], parallel: number) {
  const results: { job: Job; result: unknown }[] = [];
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const done = await runJob(job);
      process.stderr.write(`done: ${JSON.stringify(done.job)}\n`);
      results.push(done);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return results;
}

/** Mean and standard error of the mean. */
function meanSe(xs: number[]): [number, number] {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return [mean, NaN];
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return [mean, Math.sqrt(variance / xs.length)];
}

const pm = (xs: number[], digits: number, scale = 1) => {
  const [m, se] = meanSe(xs.map((x) => x * scale));
  return `${fixed(m, digits)} ± ${fixed(se, digits)}`;
};

function mixtureTable(results: { job: Job; result: unknown }[], seeds: number): string {
  const rows: Row[] = [];
  for (const data of ['ring', 'grid'] as const) {
    for (const [name, modes, hq, kl] of PUBLISHED[data]) {
      rows.push([data, name, fixed(modes, 1), fixed(hq, 1), fixed(kl, 2), '-']);
    }
    for (const recipe of ['plain', 'best'] as const) {
      const runs = results
        .filter((r) => r.job.kind === 'mixture' && r.job.data === data && r.job.recipe === recipe)
        .map((r) => r.result as MixtureRunResult);
      if (runs.length === 0) continue;
      rows.push([
        data,
        `${MIXTURE_RECIPES[data][recipe].name}, this library`,
        pm(
          runs.map((r) => r.modesCovered),
          2,
        ),
        pm(
          runs.map((r) => r.highQualityFraction),
          1,
          100,
        ),
        pm(
          runs.map((r) => r.reverseKL),
          3,
        ),
        fixed(runs.reduce((a, r) => a + r.seconds, 0) / runs.length, 0),
      ]);
    }
  }
  const header = ['data', 'model', 'modes', 'high quality %', 'reverse KL', 's per run'];
  return `Mixtures (this library: mean ± standard error over ${seeds} seeds)\n${formatTable(header, rows)}`;
}

function mnistTables(results: { job: Job; result: unknown }[], steps: number): string {
  const real = results.find((r) => r.job.kind === 'mnist-real')?.result as DigitScores | undefined;
  const runs = (['example', 'best', 'selfConditioned', 'conditional'] as const).flatMap(
    (recipe) => {
      const found = results.find((r) => r.job.kind === 'mnist' && r.job.recipe === recipe);
      return found
        ? [[`${MNIST_RECIPES[recipe].name}, ${steps} steps`, found.result] as const]
        : [];
    },
  );
  const all = [...(real ? [['real test digits', real] as const] : []), ...runs] as const;
  const rows: Row[] = all.map(([name, s]) => {
    const r = s as DigitScores & { trainSeconds?: number };
    return [
      name,
      fixed(r.frechet, 2),
      fixed(r.score, 3),
      real ? fixed((100 * r.score) / real.score, 1) : '-',
      fixed(Math.min(...r.classShares) * 100, 1),
      fixed(Math.max(...r.classShares) * 100, 1),
      fixed(r.diversity, 2),
      fixed(r.seconds, 0),
    ];
  });
  const header = [
    'digits',
    'Fréchet',
    'class. score',
    '% of real',
    'min class %',
    'max class %',
    'pixel diversity',
    'wall s',
  ];
  const shares: Row[] = all.map(([name, s]) => [
    name,
    ...(s as DigitScores).classShares.map((share) => fixed(share * 100, 1)),
  ]);
  const shareHeader = [
    'share of each class (%)',
    ...Array.from({ length: 10 }, (_, i) => String(i)),
  ];
  return (
    "MNIST (Fréchet distance to 10,000 training digits on the classifier's 128 features)\n" +
    `${formatTable(header, rows)}\n\n${formatTable(shareHeader, shares)}`
  );
}

async function main(): Promise<void> {
  const seeds = num('seeds');
  const samples = num('mnist-samples');
  const jobs: Job[] = [];
  if (values.only !== 'mixtures') {
    for (const recipe of ['example', 'best', 'selfConditioned', 'conditional'] as const) {
      jobs.push({ kind: 'mnist', recipe, steps: num('mnist-steps'), seed: 42, count: samples });
    }
    jobs.push({ kind: 'mnist-real', count: samples });
  }
  if (values.only !== 'mnist') {
    for (const data of ['ring', 'grid'] as const) {
      for (const recipe of ['plain', 'best'] as const) {
        for (let seed = 1; seed <= seeds; seed++) {
          jobs.push({ kind: 'mixture', data, recipe, steps: num(`${data}-steps`), seed });
        }
      }
    }
  }
  const started = performance.now();
  const startedAt = new Date().toISOString().slice(0, 16);
  const load = loadavg()[0];
  const results = await runAll(jobs, num('jobs'));
  const minutes = (performance.now() - started) / 60000;
  const out = [
    `tfjs-gan quality bench, started ${startedAt}Z, ${cpus().length} cores ` +
      `(${cpus()[0]?.model ?? 'unknown'}), load average ${load.toFixed(1)} at the start, ` +
      `${num('jobs')} jobs at once, wasm backend`,
  ];
  if (values.only !== 'mnist') out.push(mixtureTable(results, seeds));
  if (values.only !== 'mixtures') out.push(mnistTables(results, num('mnist-steps')));
  out.push(`Wall time: ${minutes.toFixed(1)} minutes.`);
  process.stdout.write(`${out.join('\n\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
