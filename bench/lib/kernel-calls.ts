/**
 * Records the calls a computation makes to some kernels (shapes, attributes, milliseconds), and
 * times the stock kernel on the same shapes: the bench's way to extrapolate a step that would
 * take minutes on the stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { stockKernel } from '../../src/kernels/install';

/** Every call with the same kernel, input shapes and attributes. */
export interface CallGroup {
  kernelName: string;
  shapes: Record<string, number[]>;
  attrs: NamedAttrMap;
  count: number;
  ms: number;
}

/**
 * A key naming a kernel call by kernel and input shapes. Attributes are left out: every
 * convolution of the reference models is 5×5 stride 2 'same', and tfjs spells the same
 * attributes differently from call site to call site.
 */
export function callKey(kernelName: string, shapes: Record<string, number[]>): string {
  return `${kernelName} ${JSON.stringify(shapes)}`;
}

/**
 * Runs `run` with the named kernels of `backendName` wrapped in timers, then puts the
 * configs back exactly as they were.
 */
export async function recordKernelCalls(
  backendName: string,
  kernelNames: string[],
  run: () => Promise<void>,
): Promise<Map<string, CallGroup>> {
  const groups = new Map<string, CallGroup>();
  const saved: KernelConfig[] = [];
  for (const kernelName of kernelNames) {
    const config = tf.getKernel(kernelName, backendName);
    if (config == null) continue;
    saved.push(config);
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const start = performance.now();
        const out = config.kernelFunc(args);
        const ms = performance.now() - start;
        const shapes = Object.fromEntries(
          Object.entries(args.inputs).map(([name, t]) => [name, [...(t as TensorInfo).shape]]),
        );
        const key = callKey(kernelName, shapes);
        const group = groups.get(key) ?? {
          kernelName,
          shapes,
          attrs: args.attrs ?? {},
          count: 0,
          ms: 0,
        };
        group.count++;
        group.ms += ms;
        groups.set(key, group);
        return out;
      },
    });
  }
  try {
    await run();
  } finally {
    for (const config of saved) {
      tf.unregisterKernel(config.kernelName, backendName);
      tf.registerKernel(config);
    }
  }
  return groups;
}

/** Milliseconds of one call of the backend's stock kernel on random inputs of these shapes. */
export function timeStockCall(
  backendName: string,
  kernelName: string,
  shapes: Record<string, number[]>,
  attrs: NamedAttrMap,
): number {
  const config = stockKernel(kernelName, backendName);
  if (config == null) throw new Error(`no stock ${kernelName} on ${backendName}`);
  const backend = tf.findBackend(backendName) as unknown as {
    disposeData(dataId: object): boolean;
  };
  const inputs = Object.fromEntries(
    Object.entries(shapes).map(([name, shape], i) => [
      name,
      tf.randomUniform(shape, -1, 1, 'float32', i),
    ]),
  );
  const start = performance.now();
  const out = config.kernelFunc({ inputs, backend: backend as never, attrs }) as TensorInfo;
  const ms = performance.now() - start;
  backend.disposeData(out.dataId);
  tf.dispose(Object.values(inputs));
  return ms;
}
