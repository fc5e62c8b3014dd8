/**
 * Quick timer of the reference DCGAN's Trainer step. Run:
 * `npx tsx bench/dcgan-step.ts [backend=wasm] [steps=5]`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Trainer } from '../src/training/trainer';
import { referenceDcgan } from './reference-models';
import { stepsPerSecond } from './lib/timing';

const backend = process.argv[2] ?? 'wasm';
const steps = Number(process.argv[3] ?? 5);
await tf.setBackend(backend);
const gan = referenceDcgan(1);
const trainer = new Trainer({
  generator: gan.generator,
  discriminator: gan.discriminator,
  seed: 1,
});
const real = tf.randomUniform([64, 28, 28, 1], -1, 1);
const rate = await stepsPerSecond(() => trainer.step(real), 2, steps);
console.log(`${backend}: ${(1 / rate).toFixed(3)} s/step, ${rate.toFixed(2)} steps/s`);
