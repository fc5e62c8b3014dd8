/**
 * The browser example's page logic: trains the ring GAN with tfjs-gan's Trainer on the
 * `wasm` backend (or the one named by `?backend=`), draws samples and losses as it goes, and
 * saves both networks to IndexedDB and loads them back.
 *
 * Save writes a Trainer checkpoint (both networks, both Adam optimisers' moments, the random
 * streams and the step) to IndexedDB; Reload restores it into the page's trainer, so training
 * continues exactly as if it had never stopped.
 *
 * The page's state is on `document.body.dataset.state`: `starting`, `idle`, `training`,
 * `saving`, `loading` or `error`; tests and people read the numbers from the elements below.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tfjsIOStore, Trainer } from 'tfjs-gan';

import { drawLosses, drawSamples } from './charts';
import { LATENT_DIM, ringBatch, ringBatches, ringModels, weightChecksum } from './ring-gan';

const SEED = 7;
const BATCH_SIZE = 128;
/** Redraw the pictures every this many steps. */
const DRAW_EVERY = 25;
/** Points drawn in the samples picture: generated from fixed latents, and real. */
const PREVIEW_POINTS = 512;
const CHECKPOINT_URL = 'indexeddb://tfjs-gan-ring';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  backend: element<HTMLSelectElement>('backend'),
  start: element<HTMLButtonElement>('start'),
  stop: element<HTMLButtonElement>('stop'),
  save: element<HTMLButtonElement>('save'),
  reload: element<HTMLButtonElement>('reload'),
  step: element('step'),
  discriminatorLoss: element('d-loss'),
  generatorLoss: element('g-loss'),
  speed: element('speed'),
  checksum: element('checksum'),
  radius: element('radius'),
  saved: element('saved'),
  message: element('message'),
  samples: element<HTMLCanvasElement>('samples'),
  losses: element<HTMLCanvasElement>('losses'),
};

const models = ringModels(SEED);
let trainer: Trainer;
let controller: AbortController | undefined;
const history = { discriminator: [] as number[], generator: [] as number[] };
const realPreview = ringBatch(PREVIEW_POINTS, SEED + 1000);
const previewLatents = tf.randomNormal([PREVIEW_POINTS, LATENT_DIM], 0, 1, 'float32', SEED);

function newTrainer(): Trainer {
  return new Trainer({
    generator: models.generator,
    discriminator: models.discriminator,
    generatorOptimizer: tf.train.adam(1e-3, 0.5),
    discriminatorOptimizer: tf.train.adam(1e-3, 0.5),
    seed: SEED,
  });
}

function setState(state: string, message = ''): void {
  document.body.dataset.state = state;
  ui.message.textContent = message;
  const busy = state !== 'idle';
  ui.start.disabled = busy;
  ui.stop.disabled = state !== 'training';
  ui.save.disabled = busy;
  ui.reload.disabled = busy;
  ui.backend.disabled = busy;
}

const currentStep = () => trainer.stepCount;

async function draw(): Promise<void> {
  const fake = models.generator.predict(previewLatents) as tf.Tensor;
  const [real, generated] = await Promise.all([realPreview.data(), fake.data()]);
  fake.dispose();
  drawSamples(ui.samples, real as Float32Array, generated as Float32Array);
  ui.radius.textContent = meanRadius(generated as Float32Array).toFixed(3);
  drawLosses(ui.losses, history);
}

/** Mean distance of points `[x0, y0, x1, y1, …]` from the origin; the ring's is 2. */
function meanRadius(points: Float32Array): number {
  let total = 0;
  for (let i = 0; i < points.length; i += 2) total += Math.hypot(points[i], points[i + 1]);
  return total / (points.length / 2);
}

async function showChecksum(): Promise<void> {
  const value = await weightChecksum([models.generator, models.discriminator]);
  ui.checksum.textContent = value.toFixed(6);
}

async function start(): Promise<void> {
  controller = new AbortController();
  setState('training');
  const started = performance.now();
  const firstStep = trainer.stepCount;
  // One endless epoch of fresh ring batches, until Stop aborts it.
  await trainer.fit(() => ringBatches(BATCH_SIZE, SEED + 2 * currentStep()), {
    signal: controller.signal,
    onStepEnd: async (r) => {
      history.discriminator.push(r.discriminatorLoss);
      history.generator.push(r.generatorLoss);
      ui.step.textContent = String(r.step);
      ui.discriminatorLoss.textContent = r.discriminatorLoss.toFixed(4);
      ui.generatorLoss.textContent = r.generatorLoss.toFixed(4);
      const seconds = (performance.now() - started) / 1000;
      ui.speed.textContent = ((r.step - firstStep) / seconds).toFixed(1);
      if (r.step % DRAW_EVERY === 0) await draw();
    },
  });
  await Promise.all([draw(), showChecksum()]);
  setState('idle', `Stopped at step ${currentStep()}.`);
}

async function save(): Promise<void> {
  setState('saving');
  await trainer.saveCheckpoint(tfjsIOStore(CHECKPOINT_URL));
  ui.saved.textContent = String(trainer.stepCount);
  setState('idle', `Saved step ${trainer.stepCount} to IndexedDB.`);
}

async function reload(): Promise<void> {
  setState('loading');
  const step = await trainer.loadCheckpoint(tfjsIOStore(CHECKPOINT_URL));
  ui.step.textContent = String(step);
  await Promise.all([draw(), showChecksum()]);
  setState('idle', `Loaded step ${step} from IndexedDB.`);
}

function guard(action: () => Promise<void>): () => void {
  return () => {
    action().catch((error: unknown) => {
      setState('error', error instanceof Error ? error.message : String(error));
    });
  };
}

async function main(): Promise<void> {
  setState('starting', 'Starting the backend…');
  const wanted = new URLSearchParams(location.search).get('backend') ?? 'wasm';
  // The .wasm binaries sit next to this script.
  setWasmPaths(new URL('./', location.href).href);
  if (!(await tf.setBackend(wanted))) {
    await tf.setBackend('cpu');
  }
  await tf.ready();
  ui.backend.value = tf.getBackend();
  trainer = newTrainer();
  await Promise.all([draw(), showChecksum()]);
  ui.step.textContent = '0';
  const stored = await tf.io.listModels();
  if (CHECKPOINT_URL in stored) ui.saved.textContent = 'in IndexedDB';
  ui.start.onclick = guard(start);
  ui.stop.onclick = () => controller?.abort();
  ui.save.onclick = guard(save);
  ui.reload.onclick = guard(reload);
  ui.backend.onchange = () => {
    location.search = `?backend=${ui.backend.value}`;
  };
  const note = tf.getBackend() === wanted ? '' : ` ('${wanted}' did not start)`;
  setState('idle', `Ready on the ${tf.getBackend()} backend${note}.`);
}

guard(main)();
