/**
 * A fixed set of worker threads answering requests one at a time each, where every failure
 * (an error answer, an uncaught error, an exit, a timeout) rejects instead of hanging.
 *
 * @module
 */
import type { TransferListItem, Worker } from 'node:worker_threads';

import type { ErrorData, Reply, Request } from './protocol';
import { startWorker } from './worker-script';

interface Pending {
  resolve(value: unknown): void;
  reject(error: WorkerFailure): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Why a request did not get its answer: the worker's own error, or the thread's fate. */
export class WorkerFailure extends Error {
  override readonly name = 'WorkerFailure';

  constructor(
    message: string,
    /** The worker's error as data, when it answered with one. */
    readonly error?: ErrorData,
  ) {
    super(message);
  }
}

/** One worker thread with its requests in flight. */
class Thread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure?: string;

  constructor(
    readonly index: number,
    private readonly worker: Worker,
    private readonly timeoutMs: number,
  ) {
    // Idle threads do not keep the process alive; one with a request in flight does.
    worker.unref();
    worker.on('message', (reply: Reply) => this.answer(reply));
    worker.on('error', (error) => this.fail(`worker ${index} failed: ${error.message}`));
    worker.on('exit', (code) => this.fail(`worker ${index} exited with code ${code}`));
  }

  request(request: Request, transfer: TransferListItem[] = []): Promise<unknown> {
    if (this.failure !== undefined) return Promise.reject(new WorkerFailure(this.failure));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const late = `worker ${this.index} did not answer '${request.type}' within ${this.timeoutMs} ms`;
      const timer = setTimeout(() => this.fail(late), this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.ref();
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  terminate(): Promise<number> {
    this.fail(`worker ${this.index} was terminated`);
    return this.worker.terminate();
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    return pending;
  }

  private answer(reply: Reply): void {
    const pending = this.settle(reply.id);
    if (!pending) return;
    if (reply.ok) {
      pending.resolve(reply.value);
      return;
    }
    pending.reject(new WorkerFailure(`worker ${this.index}: ${reply.error.message}`, reply.error));
  }

  /** Rejects everything in flight and every later request with `reason`. */
  private fail(reason: string): void {
    this.failure ??= reason;
    for (const id of [...this.pending.keys()]) {
      this.settle(id)!.reject(new WorkerFailure(this.failure));
    }
  }
}

/** A fixed number of worker threads. */
export class WorkerPool {
  private readonly threads: Thread[];

  /**
   * @param size - how many threads to start.
   * @param timeoutMs - longest wait for any one answer.
   */
  constructor(size: number, timeoutMs: number) {
    this.threads = Array.from({ length: size }, (_, i) => new Thread(i, startWorker(), timeoutMs));
  }

  get size(): number {
    return this.threads.length;
  }

  /**
   * Sends one request to every thread (built per thread) and waits for every answer, even
   * after one fails, so no thread is still busy when this settles.
   *
   * @returns the answers in thread order.
   * @throws the first failure, by thread order.
   */
  async all<T>(build: (index: number) => [Request, TransferListItem[]?]): Promise<T[]> {
    const settled = await Promise.allSettled(
      this.threads.map((thread, i) => {
        const [request, transfer] = build(i);
        return thread.request(request, transfer);
      }),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value as T);
  }

  /** Sends one request to one thread. */
  one<T>(index: number, request: Request): Promise<T> {
    return this.threads[index].request(request) as Promise<T>;
  }

  /** Stops every thread; resolves when all have exited. */
  async terminate(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }
}
