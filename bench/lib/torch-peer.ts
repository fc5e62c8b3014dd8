/**
 * Runs the PyTorch peer (../shared/bench/torch_peer.py) when `/usr/bin/python3` can import
 * torch, and names the BLAS library torch loaded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const PYTHON = '/usr/bin/python3';

/** Where the peer script is: `TORCH_PEER` in the environment, or ../shared/bench. */
export function peerScript(): string {
  return process.env.TORCH_PEER ?? resolve(process.cwd(), '../shared/bench/torch_peer.py');
}

/** Why the peer cannot run, or `null` when it can. */
export function peerUnavailable(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  if (!existsSync(peerScript())) return `${peerScript()} not found (set TORCH_PEER)`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return 'torch not importable (apt-get install -y python3-torch libopenblas0-pthread)';
  }
  return null;
}

/**
 * The BLAS torch loaded, read from /proc/self/maps of a Python process after a matrix
 * product: `OpenBLAS (libopenblasp-r0.3.21.so)`, or `reference BLAS (...)` when Debian's
 * alternatives point libblas.so.3 at the slow reference implementation.
 */
export function torchBlas(): string {
  const code = [
    'import torch',
    'torch.randn(256, 256) @ torch.randn(256, 256)',
    "print('\\n'.join(sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower()})))",
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8' });
  if (run.status !== 0) return `unknown (${run.stderr.trim().split('\n').pop()})`;
  const paths = run.stdout
    .trim()
    .split('\n')
    .filter((p) => p !== '');
  const openblas = paths.find((p) => /libopenblas/.test(p));
  if (openblas != null) return `OpenBLAS (${openblas.split('/').pop()})`;
  if (paths.length > 0) return `reference BLAS (${paths.join(', ')})`;
  return 'none mapped (MKL or a static BLAS)';
}

/** What the peer prints, as far as the bench uses it. */
export interface PeerResult {
  stepsPerSec: number;
  threads: number;
  torch: string;
}

/**
 * Runs one peer measurement.
 *
 * @param what - `'dcgan'` or `'mlp'`.
 * @param threads - torch threads.
 * @param steps - timed steps (after 3 warm-up steps).
 */
export function runPeer(what: 'dcgan' | 'mlp', threads: number, steps: number): PeerResult {
  // OpenBLAS starts a thread per core of its own, so without this the "1 thread" run used both
  // cores and the 2-thread run put four threads on two cores; with it, `threads` is the number
  // of cores torch uses.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(threads) };
  const run = spawnSync(PYTHON, [peerScript(), what, String(threads), '3', String(steps)], {
    encoding: 'utf8',
    env,
  });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !line.startsWith('{')) {
    throw new Error(`torch peer ${what} failed: ${run.stderr.trim().split('\n').pop()}`);
  }
  return JSON.parse(line) as PeerResult;
}
