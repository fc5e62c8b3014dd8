/**
 * Trains a DCGAN on the real MNIST training images behind a small HTTP server, to show the
 * Trainer driven from a long-running Node process. It listens on 127.0.0.1 only.
 *
 *   npm run example:server                        # wasm backend, port 8080; see --help
 *   npm run example:server -- --port 0 --backend cpu
 *
 *   curl -X POST localhost:8080/start -d '{"steps": 200}'
 *   curl localhost:8080/status
 *   curl -o samples.png 'localhost:8080/sample.png?n=16&seed=1'
 *   curl -X POST localhost:8080/stop
 *
 * Routes (every reply but the PNG is JSON; errors are `{ "error": "...", ... }`):
 *   POST /start   body `{ "steps"?: N }` (omit steps to train until /stop); 202 with the
 *                 status, 409 if training is already running.
 *   GET  /status  `{ running, step, lastLosses: { discriminator, generator },
 *                 stepsPerSecond, startedAt, error? }`.
 *   POST /stop    aborts training and replies once the current step has finished.
 *   GET  /sample.png?n=16&seed=1   a PNG sheet of n samples (1..64) in inference mode; seed is
 *                 any integer (omit it for fresh latents); sampling never changes training.
 *
 * The server logic is `createGanServer`, importable without starting anything; the command
 * line runs only when this file is executed directly.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DCGAN, ImageBatches, imageGrid, tensorToImages, Trainer, type IdxArray } from 'tfjs-gan';
import { encodePng } from 'tfjs-gan/node';

import { readMnistTrainingImages, startExample } from './shared';

/** The only address the server binds: it is an example, not a service for the network. */
const HOST = '127.0.0.1';
/** Samples per sheet: at least one, at most an 8 × 8 sheet. */
const MAX_SAMPLES = 64;
/** Each sample pixel becomes a `SAMPLE_SCALE × SAMPLE_SCALE` block in the PNG. */
const SAMPLE_SCALE = 2;
/** Pixels of white border around and between the tiles of a sample sheet. */
const SAMPLE_PADDING = 2;
/** Largest request body read; /start needs a few bytes. */
const MAX_BODY_BYTES = 16 * 1024;
/** `fit` has no "until aborted" setting; a step limit no run can reach stands in for one. */
const UNTIL_STOPPED = Number.MAX_SAFE_INTEGER;

/** Options of {@link createGanServer}. */
export interface GanServerOptions {
  /** `uint8` images `[count, height, width]` or `[count, height, width, channels]`. */
  images: IdxArray;
  /** DCGAN width (discriminator's first conv, generator's last hidden layer). @defaultValue 16 */
  baseFilters?: number;
  /** Length of the latent vector. @defaultValue 100 */
  latentDim?: number;
  /** Real images per step. @defaultValue 64 */
  batchSize?: number;
  /** Seed of the weights, the latents and the shuffling. @defaultValue 42 */
  seed?: number;
  /** Receives one line per event (start, stop, failure); silent when omitted. */
  log?: (line: string) => void;
}

/** What GET /status returns. */
export interface GanStatus {
  running: boolean;
  /** Steps the trainer has run since the server started, over every run. */
  step: number;
  /** The last step's losses, `null` before the first step. */
  lastLosses: { discriminator: number | null; generator: number | null };
  /** Steps of the current (or last) run per wall-clock second; `null` before its first step. */
  stepsPerSecond: number | null;
  /** ISO time the current (or last) run started; `null` before the first run. */
  startedAt: string | null;
  /** Why the last run failed, when it did. */
  error?: string;
}

/** A server made by {@link createGanServer}. */
export interface GanServer {
  /** The node:http server; bind it with {@link GanServer.listen}, which picks the host. */
  server: Server;
  /** Binds 127.0.0.1 on `port` (0 for any free port) and resolves to the base URL. */
  listen(port: number): Promise<string>;
  /** Aborts training, waits for the current step, closes the server and frees the models. */
  close(): Promise<void>;
  /** The status as GET /status reports it, read fresh on every access. */
  readonly state: GanStatus;
}

/**
 * Builds a DCGAN and a Trainer on the given images and an HTTP server that drives them
 * (routes in this file's header). Nothing listens until {@link GanServer.listen}. Training
 * runs on whichever tfjs backend is active.
 */
export function createGanServer(options: GanServerOptions): GanServer {
  const seed = options.seed ?? 42;
  const batches = ImageBatches.fromIdx(options.images, {
    batchSize: options.batchSize ?? 64,
    seed,
  });
  const gan = new DCGAN({
    imageShape: batches.imageShape,
    baseFilters: options.baseFilters ?? 16,
    latentDim: options.latentDim ?? 100,
    seed,
  });
  const trainer = new Trainer({ generator: gan.generator, discriminator: gan.discriminator, seed });
  const training = new TrainingControl(trainer, batches, options.log ?? (() => {}));
  const routes = makeRoutes(training, trainer);
  let closing: Promise<void> | null = null;

  const server = createServer((request, response) => {
    if (closing !== null) {
      sendJson(response, 503, { error: 'the server is shutting down.' });
      return;
    }
    dispatch(routes, request, response).catch(() => {
      // Only a failure after the reply started gets here (e.g. the client went away).
      response.destroy();
    });
  });

  const close = async (): Promise<void> => {
    await training.stop();
    if (server.listening) {
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
    }
    trainer.dispose();
    gan.dispose();
  };
  return {
    server,
    listen: (port) => listen(server, port),
    close: () => (closing ??= close()),
    get state() {
      return training.status();
    },
  };
}

/** An error reply: the status code and the JSON body to send. */
class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.error));
  }
}

/** A run's start, for the status's `startedAt` and `stepsPerSecond`. */
interface RunStart {
  startedAt: number;
  firstStep: number;
}

/** At most one `fit` at a time over the trainer, its abort controller and its numbers. */
class TrainingControl {
  private run: (RunStart & { controller: AbortController; done: Promise<void> }) | null = null;
  private lastRun: RunStart | null = null;
  private last: { discriminator: number; generator: number; at: number } | null = null;
  private error: string | undefined;

  constructor(
    private readonly trainer: Trainer,
    private readonly batches: ImageBatches,
    private readonly log: (line: string) => void,
  ) {}

  get running(): boolean {
    return this.run !== null;
  }

  status(): GanStatus {
    const { trainer, last } = this;
    const from = this.run ?? this.lastRun;
    const steps = from === null ? 0 : trainer.stepCount - from.firstStep;
    const seconds = from === null || last === null ? 0 : (last.at - from.startedAt) / 1000;
    return {
      running: this.running,
      step: trainer.stepCount,
      lastLosses: {
        discriminator: last?.discriminator ?? null,
        generator: last?.generator ?? null,
      },
      stepsPerSecond: steps > 0 && seconds > 0 ? steps / seconds : null,
      startedAt: from === null ? null : new Date(from.startedAt).toISOString(),
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }

  /** Starts `fit` in the background; `steps` omitted trains until {@link stop}. */
  start(steps: number | undefined): void {
    const { trainer, log } = this;
    const begun: RunStart = { startedAt: Date.now(), firstStep: trainer.stepCount };
    const controller = new AbortController();
    this.error = undefined;
    log(`training started at step ${begun.firstStep}${steps ? ` for ${steps} steps` : ''}`);
    const done = trainer
      .fit(this.batches, {
        steps: steps ?? UNTIL_STOPPED,
        signal: controller.signal,
        onStepEnd: ({ discriminatorLoss: discriminator, generatorLoss: generator }) => {
          this.last = { discriminator, generator, at: Date.now() };
        },
      })
      .then(
        (summary) => log(`training stopped (${summary.stoppedBy}) at step ${trainer.stepCount}`),
        (error: unknown) => {
          this.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          log(`training failed at step ${trainer.stepCount}: ${this.error}`);
        },
      )
      .finally(() => {
        this.lastRun = begun;
        this.run = null;
      });
    this.run = { ...begun, controller, done };
  }

  /** Aborts the run, if any, and resolves once its current step has finished. */
  async stop(): Promise<void> {
    const current = this.run;
    if (current === null) return;
    current.controller.abort();
    await current.done;
  }
}

interface Route {
  method: 'GET' | 'POST';
  handle: (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;
}

function makeRoutes(training: TrainingControl, trainer: Trainer): Record<string, Route> {
  return {
    '/start': {
      method: 'POST',
      handle: async (request, response) => {
        const steps = parseStartBody(await readJson(request));
        if (training.running) {
          throw new HttpError(409, {
            error: 'training is already running; POST /stop first.',
            status: training.status(),
          });
        }
        training.start(steps);
        sendJson(response, 202, training.status());
      },
    },
    '/status': {
      method: 'GET',
      handle: async (_, response) => sendJson(response, 200, training.status()),
    },
    '/stop': {
      method: 'POST',
      handle: async (_, response) => {
        await training.stop();
        sendJson(response, 200, training.status());
      },
    },
    '/sample.png': {
      method: 'GET',
      handle: async (_, response, url) => {
        const { n, seed } = parseSampleQuery(url.searchParams);
        const png = await sampleSheet(trainer, n, seed);
        response.writeHead(200, {
          'content-type': 'image/png',
          'content-length': png.byteLength,
          'cache-control': 'no-store',
        });
        response.end(png);
      },
    },
  };
}

/** Finds the route and turns every error into a JSON reply, so no request can crash the server. */
async function dispatch(
  routes: Record<string, Route>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const url = new URL(request.url ?? '/', `http://${HOST}`);
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (route === undefined) {
      throw new HttpError(404, { error: `no such route: ${request.method} ${url.pathname}` });
    }
    if (request.method !== route.method) {
      response.setHeader('allow', route.method);
      throw new HttpError(405, {
        error: `${url.pathname} takes ${route.method}, got ${request.method}.`,
      });
    }
    await route.handle(request, response, url);
  } catch (error) {
    if (response.headersSent) throw error;
    if (error instanceof HttpError) sendJson(response, error.status, error.body);
    else sendJson(response, 500, { error: error instanceof Error ? error.message : String(error) });
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

/** Reads the request body as JSON; an empty body is `{}`. */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, { error: `request body must be at most ${MAX_BODY_BYTES} bytes.` });
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, {
      error: `request body must be JSON: ${error instanceof Error ? error.message : error}`,
    });
  }
}

/** Validates POST /start's body `{ steps?: integer >= 1 }`; unknown keys are refused. */
function parseStartBody(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, { error: `request body must be a JSON object, got ${kind(body)}.` });
  }
  for (const key of Object.keys(body)) {
    if (key !== 'steps') {
      throw new HttpError(400, {
        error: `unknown field '${key}'; POST /start takes only 'steps'.`,
        parameter: key,
      });
    }
  }
  const { steps } = body as { steps?: unknown };
  if (steps === undefined) return undefined;
  if (typeof steps !== 'number' || !Number.isSafeInteger(steps) || steps < 1) {
    throw new HttpError(400, {
      error: `steps must be an integer >= 1, got ${JSON.stringify(steps)}.`,
      parameter: 'steps',
    });
  }
  return steps;
}

/** Validates GET /sample.png's query: `n` in 1..64 (default 16), `seed` any integer. */
function parseSampleQuery(query: URLSearchParams): { n: number; seed?: number } {
  for (const key of query.keys()) {
    if (key !== 'n' && key !== 'seed') {
      throw new HttpError(400, {
        error: `unknown parameter '${key}'; /sample.png takes n and seed.`,
        parameter: key,
      });
    }
  }
  const n = integerParameter(query, 'n', 1, MAX_SAMPLES) ?? 16;
  const seed = integerParameter(query, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  return seed === undefined ? { n } : { n, seed };
}

function integerParameter(
  query: URLSearchParams,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  const value = Number(values[0]);
  const range = min === Number.MIN_SAFE_INTEGER ? 'an integer' : `an integer in ${min}..${max}`;
  if (values.length > 1 || !/^-?\d+$/.test(values[0]) || value < min || value > max) {
    throw new HttpError(400, {
      error: `${name} must be ${range}, got ${JSON.stringify(values.join(','))}.`,
      parameter: name,
    });
  }
  return value;
}

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** Draws `n` samples in inference mode and encodes them as one PNG sheet. */
async function sampleSheet(trainer: Trainer, n: number, seed?: number): Promise<Uint8Array> {
  const samples = trainer.sample(n, seed) as tf.Tensor4D; // [n, height, width, channels]
  let sheet: tf.Tensor3D;
  try {
    // [rows·(h+p)+p, columns·(w+p)+p, channels], columns = ceil(sqrt(n)), rows = ceil(n/columns)
    sheet = imageGrid(samples, { padding: SAMPLE_PADDING });
  } finally {
    samples.dispose();
  }
  try {
    return encodePng(await tensorToImages(sheet), sheet.shape, { scale: SAMPLE_SCALE });
  } finally {
    sheet.dispose();
  }
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    server.once('error', reject);
    server.listen({ port, host: HOST }, () => {
      server.off('error', reject);
      resolveUrl(`http://${HOST}:${(server.address() as AddressInfo).port}/`);
    });
  });
}

const HELP = `Train a DCGAN on MNIST behind an HTTP server on ${HOST}.

Usage: npm run example:server -- [options]

  --port N           port on ${HOST}; 0 picks a free one                             [8080]
  --backend NAME     wasm or cpu (tensorflow if @tensorflow/tfjs-node is installed)    [wasm]
  --base-filters N   DCGAN width: discriminator's first conv, generator's last hidden  [16]
  --batch-size N     real images per step                                              [64]
  --seed N           seed of the weights, the latents and the shuffling                [42]
  --help             show this text

Routes: POST /start {"steps": N}, GET /status, POST /stop, GET /sample.png?n=16&seed=1
`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      backend: { type: 'string', default: 'wasm' },
      'base-filters': { type: 'string', default: '16' },
      'batch-size': { type: 'string', default: '64' },
      seed: { type: 'string', default: '42' },
      help: { type: 'boolean', default: false },
    },
  });
  const int = (name: keyof typeof values, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const n = Number(values[name]);
    if (!/^\d+$/.test(String(values[name])) || n < min || n > max) {
      const got = values[name];
      throw new RangeError(`--${name} must be an integer in ${min}..${max}, got '${got}'.`);
    }
    return n;
  };
  return {
    help: values.help as boolean,
    port: int('port', 0, 65535),
    backend: values.backend as string,
    baseFilters: int('base-filters', 1),
    batchSize: int('batch-size', 1),
    seed: int('seed', 0),
  };
}

async function main(): Promise<void> {
  const options = await startExample(parseOptions, HELP);
  if (!options) return;
  const images = await readMnistTrainingImages();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const gan = createGanServer({
    images,
    baseFilters: options.baseFilters,
    batchSize: options.batchSize,
    seed: options.seed,
    log,
  });
  const url = await gan.listen(options.port);
  log(
    `DCGAN on ${images.shape[0]} MNIST images, backend ${tf.getBackend()}, ` +
      `batch ${options.batchSize}, base filters ${options.baseFilters}`,
  );
  log(`listening on ${url} (POST /start, GET /status, POST /stop, GET /sample.png)`);

  let signals = 0;
  const shutDown = (signal: NodeJS.Signals) => {
    if (++signals > 1) process.exit(130); // a second Ctrl-C does not wait for the step
    log(`${signal}: stopping training and closing the server`);
    gan.close().then(
      () => log('closed'),
      (error: unknown) => {
        log(`shutdown failed: ${String(error)}`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);
}

function isMain(): boolean {
  const script = process.argv[1];
  return script !== undefined && resolve(script) === fileURLToPath(import.meta.url);
}

if (isMain()) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
