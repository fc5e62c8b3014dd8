/**
 * The Trainer's own overhead: the Trainer against a hand-written loop (`hand-loop.ts`) over
 * the same reference models, timed in neighbouring blocks.
 */
import * as tf from '@tensorflow/tfjs';
import { Trainer } from '../../src/training/trainer';
import { HandLoop } from './hand-loop';
import { median, stepsPerSecond } from './timing';
import { type ReferenceGan, referenceDcgan, referenceMlpGan, ringBatch } from '../reference-models';

/** Which reference model. */
export type Kind = 'dcgan' | 'mlp';

export const build = (kind: Kind): ReferenceGan =>
  kind === 'dcgan' ? referenceDcgan(1) : referenceMlpGan(1);

export const realBatch = (gan: ReferenceGan, kind: Kind): tf.Tensor =>
  kind === 'dcgan'
    ? tf.randomUniform([gan.batchSize, 28, 28, 1], -1, 1, 'float32', 5)
    : ringBatch(gan.batchSize, 5);

/**
 * Trainer against the hand loop in neighbouring blocks, in alternating order so drift hits both;
 * the overhead in % is the median over the pairs of (Trainer time ÷ hand time − 1).
 */
export async function overhead(
  kind: Kind,
  blocks: number,
  stepsPerBlock: number,
): Promise<[number, number, number]> {
  const trainerGan = build(kind);
  const handGan = build(kind);
  const trainer = new Trainer({
    generator: trainerGan.generator,
    discriminator: trainerGan.discriminator,
    seed: 1,
  });
  const hand = new HandLoop(handGan, 1);
  const real = realBatch(trainerGan, kind);
  const trainerTimes: number[] = [];
  const handTimes: number[] = [];
  const ratios: number[] = [];
  // One block's worth of warm-up steps each, so both are timed in their steady state. With two
  // warm-up steps, seven MLP runs read 2.0 to 14.0%; warmed, six read 1.7 to 2.6%, and a hand
  // loop timed against another hand loop the same way reads −0.1 to 0.1%.
  await stepsPerSecond(() => trainer.step(real), stepsPerBlock, 0);
  await stepsPerSecond(() => hand.step(real), stepsPerBlock, 0);
  const timeTrainer = async () =>
    1 / (await stepsPerSecond(() => trainer.step(real), 0, stepsPerBlock));
  const timeHand = async () => 1 / (await stepsPerSecond(() => hand.step(real), 0, stepsPerBlock));
  for (let b = 0; b < blocks; b++) {
    // Alternate which runs first, so a collection or a slow patch after one does not always
    // land on the other; each pair of neighbouring blocks gives one ratio.
    const [t, h] =
      b % 2 === 0
        ? [await timeTrainer(), await timeHand()]
        : [await timeHand(), await timeTrainer()].reverse();
    trainerTimes.push(t);
    handTimes.push(h);
    ratios.push(t / h);
  }
  tf.dispose(real);
  trainer.dispose();
  hand.dispose();
  trainerGan.dispose();
  handGan.dispose();
  return [1 / median(trainerTimes), 1 / median(handTimes), (median(ratios) - 1) * 100];
}
