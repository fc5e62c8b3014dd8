/**
 * Runs one job of the quality bench in its own process (one wasm thread each) and prints its
 * result as one JSON line: `tsx bench/quality/worker.ts '<job JSON>'`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import { installTrainingKernels } from '../../src/kernels/install';
import { mixtureByName, runMixture } from './mixture-run';
import { loadClassifier, realTestScores, referenceStatistics, runMnist } from './mnist-run';
import { MIXTURE_RECIPES, MNIST_RECIPES } from './recipes';

/** One unit of work of the quality bench. */
export type Job =
  | {
      kind: 'mixture';
      data: 'ring' | 'grid';
      recipe: 'plain' | 'best';
      steps: number;
      seed: number;
    }
  | { kind: 'mnist-real'; count: number }
  | {
      kind: 'mnist';
      recipe: 'example' | 'best' | 'selfConditioned' | 'conditional';
      steps: number;
      seed: number;
      count: number;
    };

async function run(job: Job): Promise<unknown> {
  if (job.kind === 'mixture') {
    return runMixture(
      mixtureByName(job.data),
      MIXTURE_RECIPES[job.data][job.recipe],
      job.steps,
      job.seed,
    );
  }
  const classifier = await loadClassifier();
  try {
    const reference = await referenceStatistics(classifier, 10000);
    if (job.kind === 'mnist-real') return await realTestScores(classifier, reference, job.count);
    const recipe = MNIST_RECIPES[job.recipe];
    return await runMnist(recipe, job.steps, job.seed, classifier, reference, job.count);
  } finally {
    classifier.dispose();
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as Job;
  await tf.setBackend('wasm');
  await tf.ready();
  installTrainingKernels();
  const result = await run(job);
  process.stdout.write(`${JSON.stringify({ job, result })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
