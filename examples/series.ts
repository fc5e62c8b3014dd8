/**
 * Trains a 1-D DCGAN (SeriesDCGAN) on noisy sines of random frequency and phase, and measures
 * how well the generated series' dominant frequencies match the real ones (docs/series.md).
 *
 *   npm run example:series                    # length 64, 2 to 8 periods, 1500 steps on wasm
 *   npm run example:series -- --steps 300     # a quicker look
 *
 * Writes to out/series/: series.png (real series in blue on top, generated in orange below),
 * frequencies.png (histograms of the dominant frequency, real blue, generated orange, in
 * cycles per series) and losses.svg; prints the Wasserstein-1 distance between the frequency
 * distributions, with two independent real sets as the floor.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import { frequencyDistance, noisySines, SeriesDCGAN, Trainer } from 'tfjs-gan';
import { writeImageGrid, writeLossPlot } from 'tfjs-gan/node';

import { useBackend } from './shared';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '1500' },
    length: { type: 'string', default: '64' },
    seed: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string', default: 'out/series' },
  },
});

type Rgb = [number, number, number];
const BLUE: Rgb = [0.12, 0.47, 0.71];
const ORANGE: Rgb = [1, 0.5, 0.05];
const GREY: Rgb = [0.8, 0.8, 0.8];

/** An RGB picture drawn pixel by pixel, written as a PNG through writeImageGrid. */
class Canvas {
  readonly pixels: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Float32Array(width * height * 3).fill(1);
  }
  dot(x: number, y: number, color: Rgb): void {
    const [col, row] = [Math.round(x), Math.round(y)];
    if (col < 0 || col >= this.width || row < 0 || row >= this.height) return;
    this.pixels.set(color, (row * this.width + col) * 3);
  }
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let s = 0; s <= steps; s++) {
      this.dot(x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, color);
    }
  }
  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    for (let row = Math.round(y); row < Math.round(y + h); row++) {
      for (let col = Math.round(x); col < Math.round(x + w); col++) this.dot(col, row, color);
    }
  }
  async write(path: string): Promise<void> {
    // [0, 1] -> [-1, 1], the range writeImageGrid expects.
    const image = tf.tidy(() =>
      tf.tensor4d(this.pixels, [1, this.height, this.width, 3]).mul(2).sub(1),
    ) as tf.Tensor4D;
    await writeImageGrid(path, image, { padding: 0, scale: 2 });
    image.dispose();
  }
}

/** Rows of panels: each series `[length]` in [-1, 1] drawn as a line in its own panel. */
async function drawSeries(rows: [tf.Tensor, Rgb][], path: string, columns = 4): Promise<void> {
  const [panelW, panelH, gap] = [160, 70, 6];
  const canvas = new Canvas(columns * (panelW + gap) + gap, rows.length * (panelH + gap) + gap);
  for (const [r, [series, color]] of rows.entries()) {
    const [, length] = series.shape;
    const values = await series.data();
    for (let c = 0; c < columns; c++) {
      const [left, top] = [gap + c * (panelW + gap), gap + r * (panelH + gap)];
      canvas.line(left, top + panelH / 2, left + panelW, top + panelH / 2, GREY);
      const at = (t: number) =>
        [
          left + (t / (length - 1)) * panelW,
          top + ((1 - values[c * length + t]) / 2) * panelH,
        ] as const;
      for (let t = 1; t < length; t++) canvas.line(...at(t - 1), ...at(t), color);
    }
  }
  await canvas.write(path);
}

/** Side-by-side bars of two histograms of fractions over the same bins. */
async function drawHistogram(real: number[], fake: number[], path: string): Promise<void> {
  const [barW, height, gap] = [8, 200, 10];
  const canvas = new Canvas(real.length * (2 * barW + 4) + 2 * gap, height + 2 * gap);
  const top = Math.max(...real, ...fake);
  for (let i = 0; i < real.length; i++) {
    const x = gap + i * (2 * barW + 4);
    for (const [k, share, color] of [[0, real[i], BLUE] as const, [1, fake[i], ORANGE] as const]) {
      const h = (share / top) * height;
      canvas.rect(x + k * barW, gap + height - h, barW, h, color);
    }
    // A tick under every fourth bin (0, 4, 8, ... cycles per series).
    if (i % 4 === 0) canvas.rect(x, gap + height + 2, 2 * barW, 3, GREY);
  }
  await canvas.write(path);
}

async function main(): Promise<void> {
  const [steps, length, seed] = [values.steps, values.length, values.seed].map(Number);
  const out = values.out as string;
  await useBackend(values.backend as string);
  const family = { length, frequencyRange: [2, 8] as [number, number], noise: 0.1 };
  const real = noisySines({ count: 4096, ...family, seed });
  const heldOut = noisySines({ count: 1000, ...family, seed: seed + 1 });
  const otherReal = noisySines({ count: 1000, ...family, seed: seed + 2 });
  const gan = new SeriesDCGAN({ length, latentDim: 32, baseFilters: 32, seed });
  const [g, d] = [tf.train.adam(2e-4, 0.5), tf.train.adam(2e-4, 0.5)];
  const trainer = new Trainer({
    generator: gan.generator,
    discriminator: gan.discriminator,
    generatorOptimizer: g,
    discriminatorOptimizer: d,
    seed,
  });
  /** W1 and KS of 1000 generated series' frequencies against the held-out real set. */
  const measure = async () => {
    const fake = trainer.sample(1000, seed + 3);
    const result = await frequencyDistance(heldOut, fake);
    fake.dispose();
    return result;
  };
  const floor = await frequencyDistance(heldOut, otherReal);
  const untrained = await measure();
  const report = (label: string, r: { wasserstein: number; kolmogorovSmirnov: number }) =>
    process.stdout.write(
      `${label}: Wasserstein-1 ${r.wasserstein.toFixed(3)} cycles/series, ` +
        `KS ${r.kolmogorovSmirnov.toFixed(3)}\n`,
    );
  report('untrained generator vs real', untrained);
  const losses = { discriminator: [] as number[], generator: [] as number[] };
  await trainer.fit(real, {
    batchSize: 64,
    steps,
    onStepEnd: async ({ step, discriminatorLoss, generatorLoss }) => {
      losses.discriminator.push(discriminatorLoss);
      losses.generator.push(generatorLoss);
      if (step % 250 === 0) report(`step ${step}`, await measure());
    },
  });
  const final = await measure();
  const fake = trainer.sample(4, seed + 4);
  const shown = heldOut.slice([0, 0, 0], [4, length, 1]);
  await drawSeries(
    [
      [shown, BLUE],
      [fake, ORANGE],
    ],
    join(out, 'series.png'),
  );
  await drawHistogram(final.histogram.real, final.histogram.fake, join(out, 'frequencies.png'));
  await writeLossPlot(join(out, 'losses.svg'), losses, {
    title: 'SeriesDCGAN on noisy sines',
    smoothing: 0.9,
  });
  report('untrained generator vs real', untrained);
  report(`trained generator vs real (${steps} steps)`, final);
  report('two independent real sets (the floor)', floor);
  process.stdout.write(
    `mean frequency: real ${final.realMean.toFixed(2)}, generated ${final.fakeMean.toFixed(2)}\n`,
  );
  process.stderr.write(`Wrote series.png, frequencies.png and losses.svg to ${out}\n`);
  tf.dispose([real, heldOut, otherReal, fake, shown]);
  g.dispose();
  d.dispose();
  gan.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
