import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';

import { registerSecondOrderGradients } from '../../src/kernels/gradients';
import { installTrainingKernels } from '../../src/kernels/install';
import { gradientPenalty } from '../../src/losses/gradient-penalty';
import { relativeError, seededValues } from './reference';

const ZERO_GRADIENT_KERNELS = [
  'Greater',
  'Less',
  'LessEqual',
  'Equal',
  'NotEqual',
  'LogicalAnd',
  'LogicalOr',
  'LogicalXor',
  'LogicalNot',
];

async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  await tf.setBackend(name);
  installTrainingKernels();
}

// vitest runs each file in its own process, so nothing has registered these gradients yet.
describe('registerSecondOrderGradients', () => {
  it('registers the missing comparison gradients once and overrides none', () => {
    const covered = ['GreaterEqual', 'Sign', 'Step', 'Floor', 'Round'];
    const existing = covered.map((name) => tf.getGradient(name));
    expect(existing.every((g) => g != null)).toBe(true);
    expect(ZERO_GRADIENT_KERNELS.map((name) => tf.getGradient(name))).toEqual(
      ZERO_GRADIENT_KERNELS.map(() => undefined),
    );
    expect(registerSecondOrderGradients()).toEqual(ZERO_GRADIENT_KERNELS);
    expect(registerSecondOrderGradients()).toEqual([]);
    expect(covered.map((name) => tf.getGradient(name))).toEqual(existing);
  });

  it('gives comparisons and logical ops a zero float32 gradient shaped like each input', () => {
    // y = [x > 0]·x + [!(x > 0)]·2x: dy/dx = 1 for x > 0, 2 otherwise; the masks add 0.
    const x = tf.tensor1d([-1, 2, 0.5]);
    const f = (v: tf.Tensor) => {
      const positive = tf.greater(v, 0);
      const masked = tf.mul(tf.cast(positive, 'float32'), v);
      return tf.add(masked, tf.mul(tf.cast(tf.logicalNot(positive), 'float32'), tf.mul(2, v)));
    };
    const gradient = tf.grad(f)(x);
    expect(Array.from(gradient.dataSync())).toEqual([2, 1, 1]);
    // Broadcast inputs: d/da and d/db of sum(cast(a < b)) are zeros of their own shapes.
    const [da, db] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.add(tf.sum(tf.cast(tf.less(a, b), 'float32')), tf.sum(tf.add(a, b))),
    )([tf.ones([2, 3]), tf.ones([3])]);
    // d/da sum(a + b) over the broadcast [2, 3] = 1 per entry of a, 2 per entry of b.
    expect(Array.from(da.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(db.dataSync())).toEqual([2, 2, 2]);
    tf.dispose([x, gradient, da, db]);
  });
});

// A conv critic with leaky ReLU: x [2, 4, 4, 1] → conv 3×3, 2 filters, 'same' → leaky ReLU 0.2
// → [2, 32] → dense [32, 1].
const SHAPES = { x: [2, 4, 4, 1], conv: [3, 3, 1, 2], dense: [32, 1] } as const;
const SEED = 21; // interpolation seed, chosen so the guard below holds

function convCritic(conv: tf.Tensor, dense: tf.Tensor) {
  return (x: tf.Tensor) => {
    const hidden = tf.leakyRelu(tf.conv2d(x as tf.Tensor4D, conv as tf.Tensor4D, 1, 'same'), 0.2);
    return tf.matMul(tf.reshape(hidden, [2, 32]), dense as tf.Tensor2D);
  };
}

function fixture() {
  return tf.tidy(() => ({
    real: tf.tensor(seededValues(32, 1), [...SHAPES.x]),
    fake: tf.tensor(seededValues(32, 2), [...SHAPES.x]),
    conv: tf.variable(
      tf.tensor(
        seededValues(18, 3).map((v) => 0.5 * v),
        [...SHAPES.conv],
      ),
    ),
    dense: tf.variable(
      tf.tensor(
        seededValues(32, 4).map((v) => 0.3 * v),
        [...SHAPES.dense],
      ),
    ),
  }));
}

describe('second-order gradients through a conv critic with leaky ReLU', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`match central finite differences of the gradient penalty on ${backend}`, async () => {
      await useBackend(backend);
      const { real, fake, conv, dense } = fixture();
      const penalty = () => gradientPenalty(convCritic(conv, dense), real, fake, { seed: SEED });
      const { value, grads } = tf.variableGrads(penalty, [conv, dense]);
      const p = value.dataSync()[0];

      // Guard: the interpolated points are convex combinations of values in [-1, 1), so moving
      // one conv weight by h = 1e-2 moves each pre-activation by at most h·max|x̂| < 0.01 (and
      // dense weights move none). With every pre-activation at least 0.01 from 0, no leaky
      // ReLU changes side within a finite-difference step and P is smooth there.
      const margin = tf.tidy(() => {
        const alpha = tf.randomUniform([2, 1, 1, 1], 0, 1, 'float32', SEED);
        const points = tf.add(real, tf.mul(alpha, tf.sub(fake, real)));
        const preactivations = tf.conv2d(points as tf.Tensor4D, conv as tf.Tensor4D, 1, 'same');
        return tf.min(tf.abs(preactivations)).dataSync()[0];
      });
      expect(margin).toBeGreaterThan(0.01);

      // Tolerance: float32 rounding (unit 6e-8) over ~100 ops leaves a relative error ≲ 1e-5
      // in P, so (P₊ - P₋)/2h carries ≲ 1e-5·|P|/h = 1e-3·|P| for h = 1e-2; the truncation
      // h²/6·P''' is smaller for this smooth (between kinks) function. Allowed: 2e-3·max(1, |P|).
      const h = 1e-2;
      const tolerance = 2e-3 * Math.max(1, Math.abs(p));
      for (const variable of [conv, dense]) {
        const analytic = grads[variable.name].dataSync();
        // Not vacuous: a penalty that never reached these weights would give zeros here.
        expect(Math.max(...Array.from(analytic, Math.abs))).toBeGreaterThan(50 * tolerance);
        const base = variable.dataSync().slice();
        for (let k = 0; k < Math.min(base.length, 18); k++) {
          const at = (delta: number) => {
            const moved = base.slice();
            moved[k] += delta;
            variable.assign(tf.tensor(moved, variable.shape));
            return tf.tidy(() => penalty().dataSync()[0]);
          };
          const numeric = (at(h) - at(-h)) / (2 * h);
          expect(Math.abs(analytic[k] - numeric), `${variable.name}[${k}]`).toBeLessThan(tolerance);
        }
        variable.assign(tf.tensor(base, variable.shape));
      }
      tf.dispose([real, fake, conv, dense, value, ...Object.values(grads)]);
    });
  }
});

/** The penalty and its weight gradients for a tfjs-layers conv critic on the active backend. */
function layersPenalty() {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [6, 6, 2],
        filters: 3,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
      }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }),
    ],
  });
  const real = tf.tensor(seededValues(144, 7), [2, 6, 6, 2]);
  const fake = tf.tensor(seededValues(144, 8), [2, 6, 6, 2]);
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const critic = (x: tf.Tensor) => model.apply(x, { training: true }) as tf.Tensor;
  const penalty = () => gradientPenalty(critic, real, fake, { seed: 3 });
  const { value, grads } = tf.variableGrads(penalty, weights);
  const result = {
    value: value.dataSync()[0],
    // Ordered by layer, not by the generated variable names, which differ between builds.
    grads: weights.map((w) => (grads[w.name] ? Array.from(grads[w.name].dataSync()) : [])),
  };
  tf.dispose([real, fake, value, ...Object.values(grads)]);
  model.dispose();
  return result;
}

describe('gradientPenalty on a tfjs-layers conv critic with leaky ReLU', () => {
  it('gives the same value and weight gradients on cpu and wasm', async () => {
    await useBackend('cpu');
    const cpu = layersPenalty();
    await useBackend('wasm');
    const wasm = layersPenalty();
    expect(Number.isFinite(cpu.value) && cpu.value > 0).toBe(true);
    // Same float32 inputs; the backends' conv kernels sum in different orders, so the results
    // agree to float32 rounding over a few hundred terms: relative 1e-5.
    expect(Math.abs(wasm.value - cpu.value) / cpu.value).toBeLessThan(1e-5);
    // Conv kernel 3·3·2·3 = 54, conv bias 3, dense kernel 3·3·3 = 27, dense bias: no gradient,
    // since an output bias does not change ∇ₓD.
    expect(cpu.grads.map((g) => g.length)).toEqual([54, 3, 27, 0]);
    cpu.grads.forEach((g, i) => {
      if (g.length > 0) expect(relativeError(wasm.grads[i], g), `weight ${i}`).toBeLessThan(1e-4);
    });
  });
});
