import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { makeWasmBatchMatMulKernel } from './batch_mat_mul_wasm';
import { makeConv2DBackpropFilterKernel } from './conv2d_backprop_filter';
import { makeWasmConv2DKernel } from './conv2d_wasm';
import { makeConv2DBackpropInputKernel } from './conv2d_backprop_input';
import { makeConv2DKernel } from './conv2d_forward';
import { type CpuBackendLike, createCpuHost } from './cpu_host';
import type { DirectPath, HostFactory } from './kernel_factory';
import {
  conv2dBackpropFilterByConv,
  conv2dBackpropInputByPhases,
  filterConvApplies,
  phasesApply,
  type WasmConvKernels,
} from './wasm_conv_paths';
import { makeWasmGreaterKernel, makeWasmLeakyReluKernel } from './elementwise_wasm';
import { installTrainingGradients, restoreTrainingGradients } from './training_gradients';
import { makeWasmLeadingReduceKernel } from './reduce_wasm';
import { makeWasmTileKernel } from './tile_wasm';
import { createWasmHost, type WasmBackendLike } from './wasm_host';
import { conv2dBackpropFilterByTaps, conv2dBackpropInputByTaps, tapsApply } from './wasm_taps';

/**
 * Fewest input channels for which the wasm input gradient runs by phases, as stride-1
 * convolutions (themselves run by the tap kernel where it applies). With fewer, each phase has
 * a handful of taps and the SIMD scatter kernel of `wasm_taps.ts` runs instead (reference
 * DCGAN 1↔64 layer, one core: 2.6 ms by im2col, 15 ms by phases on XNNPACK, 1.8 ms by taps).
 * The filter gradient runs by taps whatever the channels (64↔128: 23.7 GFLOP/s by an XNNPACK
 * convolution, 36.8 by taps).
 */
const MIN_CONV_PATH_CHANNELS = 16;

function wasmDirectPaths(kernels: WasmConvKernels): { filter: DirectPath; input: DirectPath } {
  return {
    filter: (backend, x, dy, geometry) => {
      const wasm = backend as WasmBackendLike;
      if (tapsApply(wasm, geometry, 16)) return conv2dBackpropFilterByTaps(wasm, x, dy, geometry);
      return geometry.inChannels >= MIN_CONV_PATH_CHANNELS && filterConvApplies(geometry)
        ? conv2dBackpropFilterByConv(wasm, kernels, x, dy, geometry)
        : null;
    },
    input: (backend, dy, filter, geometry) => {
      const wasm = backend as WasmBackendLike;
      if (geometry.inChannels >= MIN_CONV_PATH_CHANNELS) {
        return phasesApply(geometry)
          ? conv2dBackpropInputByPhases(wasm, kernels, dy, filter, geometry)
          : null;
      }
      return tapsApply(wasm, geometry, 8)
        ? conv2dBackpropInputByTaps(wasm, dy, filter, geometry)
        : null;
    },
  };
}

/** Packages that register each backend this module serves. */
const BACKEND_PACKAGES: Record<string, string> = {
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** What an installation replaced: the stock config (or none) and ours, per kernel name. */
interface Installation {
  backendName: string;
  stock: Map<string, KernelConfig | undefined>;
  ours: Map<string, KernelConfig>;
}

const installations = new Map<string, Installation>();

function requireKernel(kernelName: string, backendName: string): KernelConfig {
  const config = tf.getKernel(kernelName, backendName);
  if (config == null) {
    throw new Error(
      `installTrainingKernels: backend '${backendName}' has no '${kernelName}' kernel.`,
    );
  }
  return config;
}

function buildKernels(backendName: string): Map<string, KernelFunc> {
  const stockFilter = tf.getKernel(tf.Conv2DBackpropFilter, backendName)?.kernelFunc;
  const stockInput = tf.getKernel(tf.Conv2DBackpropInput, backendName)?.kernelFunc;
  const kernels = new Map<string, KernelFunc>();
  let hostFor: HostFactory;
  let direct: { filter?: DirectPath; input?: DirectPath } = {};
  if (backendName === 'wasm') {
    const matMul = requireKernel(tf.BatchMatMul, backendName).kernelFunc;
    const transpose = requireKernel(tf.Transpose, backendName).kernelFunc;
    // The gradient paths built from convolutions use the tap kernel where it applies.
    const conv2d = makeWasmConv2DKernel(requireKernel(tf.Conv2D, backendName).kernelFunc);
    hostFor = (backend) => createWasmHost(backend as WasmBackendLike, matMul, transpose);
    direct = wasmDirectPaths({ conv2d, transpose });
    kernels.set(tf.BatchMatMul, makeWasmBatchMatMulKernel(matMul, transpose));
    kernels.set(tf.Tile, makeWasmTileKernel(requireKernel(tf.Tile, backendName).kernelFunc));
    const stock = (name: string) => requireKernel(name, backendName).kernelFunc;
    kernels.set(tf.LeakyRelu, makeWasmLeakyReluKernel(stock(tf.LeakyRelu)));
    kernels.set(tf.Greater, makeWasmGreaterKernel(stock(tf.Greater)));
    kernels.set(tf.Conv2D, conv2d);
    kernels.set(tf.Sum, makeWasmLeadingReduceKernel(stock(tf.Sum), stock(tf.AvgPool), false));
    kernels.set(tf.Mean, makeWasmLeadingReduceKernel(stock(tf.Mean), stock(tf.AvgPool), true));
  } else {
    hostFor = (backend) => createCpuHost(backend as CpuBackendLike);
    kernels.set(
      tf.Conv2D,
      makeConv2DKernel(hostFor, requireKernel(tf.Conv2D, backendName).kernelFunc),
    );
  }
  kernels.set(
    tf.Conv2DBackpropFilter,
    makeConv2DBackpropFilterKernel(hostFor, stockFilter, direct.filter),
  );
  kernels.set(
    tf.Conv2DBackpropInput,
    makeConv2DBackpropInputKernel(hostFor, stockInput, direct.input),
  );
  return kernels;
}

function replaceKernel(kernelName: string, backendName: string, config?: KernelConfig): void {
  if (tf.getKernel(kernelName, backendName) != null) tf.unregisterKernel(kernelName, backendName);
  if (config != null) tf.registerKernel(config);
}

/**
 * Replaces the slow training kernels of the `wasm` or `cpu` backend: WebAssembly SIMD
 * convolution kernels on `wasm`, and im2col / col2im around a plain matrix product where
 * those do not apply and on `cpu`.
 *
 * Installs `Conv2DBackpropFilter` (missing on wasm, slow on cpu), `Conv2DBackpropInput` (also
 * the forward pass of `tf.conv2dTranspose`) and the forward `Conv2D`. On wasm the three run as
 * hand-written WebAssembly SIMD kernels on the backend's own memory wherever the output
 * channels come in blocks of 16 (8 for the input gradient); on cpu the forward convolution is
 * im2col and a matrix product, 2.4–3.5 times the stock kernel. Layers with a bias or an
 * activation run `FusedConv2D`, which is not replaced: `separateBiasAdds` splits them.
 * Also on wasm only: a `BatchMatMul` that transposes flagged operands explicitly, a
 * block-copy `Tile`, branch-free `LeakyRelu`
 * and `Greater`, and `Sum` and `Mean` that reduce leading axes (batch-norm moments, bias
 * gradients) as one average pooling.
 * It also registers leaky ReLU's gradient as `dy · step(x, alpha)` (the same values as
 * TensorFlow.js's `where(x > 0, dy, dy · alpha)`, with two kernels instead of five) and
 * `tile`'s gradient as one reshape and sum (TensorFlow.js adds one slice per repetition,
 * thousands for layer normalisation's statistics). The `Trainer` calls this for the active
 * backend unless told not to; a custom training loop calls it once after choosing its backend.
 *
 * @param backendName - `'wasm'` or `'cpu'`; any other name is a no-op, since the other
 *   backends (webgl, webgpu, tensorflow) already have fast kernels.
 * @defaultValue backendName = `tf.getBackend()`
 * @returns Nothing. Calling it again is a no-op.
 * @throws Error when the backend is not registered yet (import its package first): kernels
 *   registered before the backend's own package loads would be overwritten by it.
 * @throws Error when no name is given and no backend is active yet.
 * @remarks Only NHWC float32 convolutions use the new kernels; other calls go to the stock
 * kernel (and fail on wasm, which has no stock filter gradient). The stock kernel configs are
 * kept, with their `setupFunc`/`disposeFunc` carried over, and put back by
 * {@link uninstallTrainingKernels}. Works whether or not the backend has been initialised.
 * The gradient registry is global: both gradients apply on every backend until the last
 * installation is uninstalled. The leaky ReLU gradient differs from the stock one only at a
 * NaN input (NaN instead of `dy · alpha`); the tile gradient adds in a different order, so it
 * agrees up to float rounding.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { installTrainingKernels } from 'tfjs-gan';
 *
 * await tf.setBackend('wasm');
 * installTrainingKernels();
 * ```
 * @category Kernels
 */
export function installTrainingKernels(backendName: string | undefined = tf.getBackend()): void {
  if (backendName == null) {
    throw new Error(
      'installTrainingKernels: no backend is active yet; await tf.setBackend(name) first, ' +
        'or pass the backend name.',
    );
  }
  const packageName = BACKEND_PACKAGES[backendName];
  if (packageName == null || installations.has(backendName)) return;
  if (tf.findBackendFactory(backendName) == null) {
    throw new Error(
      `installTrainingKernels: backend '${backendName}' is not registered; ` +
        `import '${packageName}' first.`,
    );
  }
  const installation: Installation = { backendName, stock: new Map(), ours: new Map() };
  for (const [kernelName, kernelFunc] of buildKernels(backendName)) {
    const stock = tf.getKernel(kernelName, backendName);
    const ours: KernelConfig = {
      kernelName,
      backendName,
      kernelFunc,
      setupFunc: stock?.setupFunc,
      disposeFunc: stock?.disposeFunc,
    };
    installation.stock.set(kernelName, stock);
    installation.ours.set(kernelName, ours);
    replaceKernel(kernelName, backendName, ours);
  }
  installations.set(backendName, installation);
  installTrainingGradients();
}

/**
 * Puts back the stock kernels that {@link installTrainingKernels} replaced, as the same config
 * objects, and removes ours where the backend had no stock kernel.
 *
 * @param backendName - The backend to restore.
 * @defaultValue backendName = `tf.getBackend()`
 * @returns Nothing; a no-op when nothing is installed for that backend.
 * @category Kernels
 */
export function uninstallTrainingKernels(backendName: string | undefined = tf.getBackend()): void {
  const installation = backendName == null ? undefined : installations.get(backendName);
  if (installation == null) return;
  for (const [kernelName, stock] of installation.stock) {
    replaceKernel(kernelName, installation.backendName, stock);
  }
  installations.delete(installation.backendName);
  if (installations.size === 0) restoreTrainingGradients();
}

/**
 * Tells whether the training kernels are installed for a backend.
 *
 * @param backendName - The backend to ask about.
 * @defaultValue backendName = `tf.getBackend()`
 * @returns `true` when every kernel installed by {@link installTrainingKernels} is still the
 *   one registered.
 * @category Kernels
 */
export function trainingKernelsInstalled(
  backendName: string | undefined = tf.getBackend(),
): boolean {
  const installation = backendName == null ? undefined : installations.get(backendName);
  if (installation == null) return false;
  for (const [kernelName, ours] of installation.ours) {
    if (tf.getKernel(kernelName, installation.backendName) !== ours) return false;
  }
  return true;
}

/**
 * Returns the stock kernel config for a kernel: the one saved at installation when ours is
 * installed, otherwise the one registered now.
 *
 * @param kernelName - A tfjs kernel name such as `'Conv2DBackpropFilter'`.
 * @param backendName - The backend.
 * @returns The stock config, or `undefined` when the backend has none.
 * @remarks Internal: used by the tests as the reference implementation.
 * @category Kernels
 */
export function stockKernel(kernelName: string, backendName: string): KernelConfig | undefined {
  const installation = installations.get(backendName);
  if (installation?.stock.has(kernelName)) return installation.stock.get(kernelName);
  return tf.getKernel(kernelName, backendName);
}
