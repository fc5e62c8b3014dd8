import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import type { IdxArray } from '../../src';
import { createGanServer, type GanServer, type GanStatus } from '../../examples/server';

/** 16 images of 8 × 8 with a diagonal gradient, so a batch is never constant. */
function tinyImages(): IdxArray {
  const data = new Uint8Array(16 * 8 * 8);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
  return { dtype: 'uint8', shape: [16, 8, 8], data };
}

/** Runs `body` against a fresh server on 127.0.0.1 with an ephemeral port, then closes it. */
async function withServer(body: (base: string, gan: GanServer) => Promise<void>): Promise<void> {
  const gan = createGanServer({
    images: tinyImages(),
    baseFilters: 2,
    latentDim: 4,
    batchSize: 4,
    seed: 1,
  });
  try {
    await body(await gan.listen(0), gan);
  } finally {
    await gan.close();
  }
}

async function call(base: string, method: string, path: string, body?: string) {
  const response = await fetch(new URL(path, base), { method, body });
  const type = response.headers.get('content-type') ?? '';
  const payload = type.startsWith('application/json')
    ? await response.json()
    : new Uint8Array(await response.arrayBuffer());
  return { status: response.status, type, payload };
}

const status = async (base: string) => (await call(base, 'GET', '/status')).payload as GanStatus;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Polls /status until `done` holds: at most 200 polls 50 ms apart (10 s). */
async function pollStatus(base: string, done: (s: GanStatus) => boolean): Promise<GanStatus> {
  for (let poll = 0; poll < 200; poll++) {
    const current = await status(base);
    if (done(current)) return current;
    await sleep(50);
  }
  const last = JSON.stringify(await status(base));
  throw new Error(`pollStatus: condition not met after 200 polls; last status ${last}`);
}

/** Width and height from a PNG's IHDR chunk, which starts right after the 8-byte signature. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Chunk = length (4) + type (4) + data; IHDR data starts at 8 + 8 = 16: width, then height.
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('createGanServer', () => {
  it('reports an idle trainer at step 0 before any start', async () => {
    await withServer(async (base) => {
      expect(await status(base)).toEqual({
        running: false,
        step: 0,
        lastLosses: { discriminator: null, generator: null },
        stepsPerSecond: null,
        startedAt: null,
      });
    });
  });

  it('trains the requested steps in the background and then stops', async () => {
    await withServer(async (base, gan) => {
      const started = await call(base, 'POST', '/start', JSON.stringify({ steps: 3 }));
      expect(started.status).toBe(202);
      expect(started.payload).toMatchObject({ running: true, step: 0 });

      const final = await pollStatus(base, (s) => s.step >= 3 && !s.running);
      expect(final.step).toBe(3);
      expect(Number.isFinite(final.lastLosses.discriminator)).toBe(true);
      expect(Number.isFinite(final.lastLosses.generator)).toBe(true);
      expect(final.stepsPerSecond).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(final.startedAt!))).toBe(false);
      expect(final).not.toHaveProperty('error');
      expect(gan.state).toEqual(final);

      // Nothing runs after the run ends, and reading the status makes no tensors.
      const tensors = tf.memory().numTensors;
      const first = await status(base);
      await sleep(100);
      const second = await status(base);
      expect(second).toEqual(first);
      expect(tf.memory().numTensors).toBe(tensors);
    });
  });

  it('serves a PNG sheet whose size follows the grid layout, without leaking tensors', async () => {
    await withServer(async (base) => {
      const tensors = tf.memory().numTensors;
      const { status: code, type, payload } = await call(base, 'GET', '/sample.png?n=4&seed=1');
      expect(tf.memory().numTensors).toBe(tensors);
      expect(code).toBe(200);
      expect(type).toBe('image/png');
      const png = payload as Uint8Array;
      // The PNG signature: \x89 P N G \r \n \x1a \n.
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
      // n = 4 → columns = ceil(sqrt(4)) = 2, rows = ceil(4 / 2) = 2; 8-pixel tiles with 2 pixels
      // of padding: 2·(8 + 2) + 2 = 22 pixels a side; at scale 2, 22·2 = 44.
      expect(pngSize(png)).toEqual({ width: 44, height: 44 });
      // n = 5 → columns = ceil(sqrt(5)) = 3, rows = ceil(5 / 3) = 2:
      // width 2·(3·10 + 2) = 64, height 2·(2·10 + 2) = 44.
      const five = await call(base, 'GET', '/sample.png?n=5');
      expect(pngSize(five.payload as Uint8Array)).toEqual({ width: 64, height: 44 });
    });
  });

  it('draws samples in inference mode, so sampling never changes the model', async () => {
    await withServer(async (base) => {
      const first = await call(base, 'GET', '/sample.png?n=8&seed=7');
      // Unseeded draws in between: with training-mode batch norm they would move the statistics.
      for (let i = 0; i < 3; i++) await call(base, 'GET', '/sample.png?n=8');
      const again = await call(base, 'GET', '/sample.png?n=8&seed=7');
      expect(again.payload).toEqual(first.payload);
      expect((await status(base)).step).toBe(0);
    });
  });

  it('answers 400 naming the parameter when n or seed is out of range', async () => {
    await withServer(async (base) => {
      expect(await call(base, 'GET', '/sample.png?n=0')).toMatchObject({
        status: 400,
        payload: { error: 'n must be an integer in 1..64, got "0".', parameter: 'n' },
      });
      expect((await call(base, 'GET', '/sample.png?n=65')).payload).toEqual({
        error: 'n must be an integer in 1..64, got "65".',
        parameter: 'n',
      });
      expect((await call(base, 'GET', '/sample.png?n=4&seed=1.5')).payload).toEqual({
        error: 'seed must be an integer, got "1.5".',
        parameter: 'seed',
      });
      expect((await call(base, 'GET', '/sample.png?size=4')).payload).toEqual({
        error: "unknown parameter 'size'; /sample.png takes n and seed.",
        parameter: 'size',
      });
    });
  });

  it('answers 409 to a second start while training runs, and stops on POST /stop', async () => {
    await withServer(async (base) => {
      expect((await call(base, 'POST', '/start')).status).toBe(202);
      const again = await call(base, 'POST', '/start', '{"steps": 2}');
      expect(again.status).toBe(409);
      expect(again.payload).toMatchObject({
        error: 'training is already running; POST /stop first.',
        status: { running: true },
      });

      await pollStatus(base, (s) => s.step >= 1);
      const stopped = await call(base, 'POST', '/stop');
      expect(stopped.status).toBe(200);
      expect(stopped.payload).toMatchObject({ running: false });
      // The reply comes after the last step, so the count no longer moves.
      const { step } = stopped.payload as GanStatus;
      await sleep(100);
      expect((await status(base)).step).toBe(step);
      // Stopping again is harmless.
      expect((await call(base, 'POST', '/stop')).payload).toMatchObject({ running: false, step });
    });
  });

  it('answers 400 to a body that is not JSON or has a bad steps field', async () => {
    await withServer(async (base) => {
      const notJson = await call(base, 'POST', '/start', '{steps: 3');
      expect(notJson.status).toBe(400);
      // The rest of the message is JSON.parse's own wording, which varies across Node versions.
      expect((notJson.payload as { error: string }).error).toMatch(/^request body must be JSON: /);
      expect((await call(base, 'POST', '/start', '{"steps": 0}')).payload).toEqual({
        error: 'steps must be an integer >= 1, got 0.',
        parameter: 'steps',
      });
      expect((await call(base, 'POST', '/start', '[3]')).payload).toEqual({
        error: 'request body must be a JSON object, got an array.',
      });
      expect((await call(base, 'POST', '/start', '{"step": 3}')).payload).toEqual({
        error: "unknown field 'step'; POST /start takes only 'steps'.",
        parameter: 'step',
      });
      expect((await status(base)).running).toBe(false);
    });
  });

  it('answers 404 to an unknown path and 405 to a known path with the wrong method', async () => {
    await withServer(async (base) => {
      expect(await call(base, 'GET', '/train')).toMatchObject({
        status: 404,
        payload: { error: 'no such route: GET /train' },
      });
      const wrong = await fetch(new URL('/stop', base));
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('POST');
      expect(await wrong.json()).toEqual({ error: '/stop takes POST, got GET.' });
    });
  });

  it('close() stops training, frees the port and every tensor it made', async () => {
    const tensors = tf.memory().numTensors;
    let url = '';
    await withServer(async (base, gan) => {
      url = base;
      await call(base, 'POST', '/start');
      await pollStatus(base, (s) => s.step >= 1);
      await gan.close();
      expect(gan.server.listening).toBe(false);
      expect(gan.state.running).toBe(false);
    });
    await expect(fetch(new URL('/status', url))).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
