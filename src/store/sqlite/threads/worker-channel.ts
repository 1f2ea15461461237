import { Worker } from 'node:worker_threads';

interface Pending<Answer> {
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
  /** The promise the caller awaits, for close(). */
  answered: Promise<Answer>;
}

/**
 * Requests to a worker thread and its answers, matched by a sequence number (the worker echoes
 * `seq`). The thread starts on the first request; if it dies, the requests in flight fail with
 * `onDeath(error)` and the next request starts a new one. The thread never keeps the process
 * alive while nothing is in flight.
 */
export class WorkerChannel<Request extends object, Answer extends { seq: number }> {
  #worker: Worker | null = null;
  readonly #pending = new Map<number, Pending<Answer>>();
  #seq = 0;

  constructor(
    private readonly script: URL,
    private readonly workerData: unknown,
    private readonly onDeath: (error: Error) => Error,
  ) {}

  /** Whether a request is in flight (handed over, not yet answered). */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** Posts `{ ...request, seq }`; resolves with the worker's answer to it. */
  send(request: Request): Promise<Answer> {
    const worker = this.#worker ?? this.#start();
    const seq = ++this.#seq;
    if (this.#pending.size === 0) worker.ref();
    let resolve!: Pending<Answer>['resolve'];
    let reject!: Pending<Answer>['reject'];
    const answered = new Promise<Answer>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#pending.set(seq, { resolve, reject, answered });
    worker.postMessage({ ...request, seq });
    return answered;
  }

  /** Waits for the requests in flight, then stops the thread. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#pending.values()].map((pending) => pending.answered));
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }

  #start(): Worker {
    const worker = new Worker(this.script, { workerData: this.workerData });
    worker.on('message', (answer: Answer) => this.#settle(answer));
    worker.on('error', (error) => this.#fail(worker, error));
    worker.on('exit', (code) => this.#fail(worker, new Error(`worker thread exited with code ${code}`)));
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #settle(answer: Answer): void {
    const pending = this.#pending.get(answer.seq);
    this.#pending.delete(answer.seq);
    if (this.#pending.size === 0) this.#worker?.unref();
    pending?.resolve(answer);
  }

  #fail(worker: Worker, error: Error): void {
    if (this.#worker === worker) this.#worker = null;
    for (const pending of this.#pending.values()) pending.reject(this.onDeath(error));
    this.#pending.clear();
  }
}
