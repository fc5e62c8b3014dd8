/**
 * The worker thread of a {@link ParallelTrainer}: answers each request of `./protocol` in the
 * order it arrives. Errors are answered, never thrown, so the trainer can name them.
 *
 * @module
 */
import { parentPort, type TransferListItem } from 'node:worker_threads';

import { registerLibraryLayers } from './layers';
import type { Envelope, ErrorData, Reply, Request } from './protocol';
import { Replica } from './replica';

let replica: Replica | undefined;

function errorData(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { name, message, stack } = error;
  const fields = error as Error & Partial<Pick<ErrorData, 'step' | 'network' | 'value'>>;
  return { name, message, stack, step: fields.step, network: fields.network, value: fields.value };
}

function ready(): Replica {
  if (!replica) throw new Error('ParallelTrainer worker: not initialised.');
  return replica;
}

/** Runs one request; returns the answer and the buffers to transfer with it. */
async function handle(request: Request): Promise<[unknown, TransferListItem[]]> {
  switch (request.type) {
    case 'init':
      registerLibraryLayers();
      replica = await Replica.create(request);
      return [null, []];
    case 'gradients':
      return [await ready().gradients(request), []];
    case 'apply':
      ready().apply(request);
      return [null, []];
    case 'syncState':
      ready().syncState(request.shares);
      return [null, []];
    case 'sample': {
      const sample = await ready().sample(request.count, request.seed);
      return [sample, [sample.values.buffer as ArrayBuffer]];
    }
    case 'weights': {
      const weights = await ready().weights();
      const arrays = [...weights.generator, ...weights.discriminator];
      return [weights, arrays.map((w) => w.buffer as ArrayBuffer)];
    }
  }
}

const port = parentPort;
if (!port) throw new Error('ParallelTrainer worker: must run in a worker thread.');
let queue = Promise.resolve();
port.on('message', (envelope: Envelope) => {
  queue = queue.then(async () => {
    let reply: Reply;
    let transfer: TransferListItem[] = [];
    try {
      const [value, buffers] = await handle(envelope);
      reply = { id: envelope.id, ok: true, value };
      transfer = buffers;
    } catch (error) {
      reply = { id: envelope.id, ok: false, error: errorData(error) };
    }
    port.postMessage(reply, transfer);
  });
});
