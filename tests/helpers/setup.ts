import * as tf from '@tensorflow/tfjs';
import { beforeAll } from 'vitest';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  // The cpu backend prints a banner suggesting tfjs-node on its first write under Node; the
  // tests use cpu on purpose, so mark the banner as shown.
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
});
