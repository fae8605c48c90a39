/**
 * A small pool of isolation workers. One call per worker at a time; callers wait in FIFO order for an idle worker.
 * A worker that exits (killed on timeout, crashed, SIGKILLed from outside) is replaced in the background; after
 * MAX_RESPAWN_FAILURES failed replacements in a row the pool stops trying and every call fails fast.
 * The pool keeps the parent process alive while a caller waits or a replacement loads; idle, it lets it exit.
 */
import type { HeadLogits, InferBatch } from '../backend/plugin.js';
import { ErrorCodes, ModelUnavailableError, PlannerError, describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { KeepAlive } from './keep-alive.js';
import { WorkerHandle, type WorkerSpec } from './worker-handle.js';
import type { LoadedReply } from './worker-protocol.js';

export const MAX_RESPAWN_FAILURES = 3;

type Waiter = { resolve: (w: WorkerHandle) => void; reject: (e: Error) => void };

export class WorkerPool {
  private readonly workers = new Set<WorkerHandle>();
  private readonly waiters: Waiter[] = [];
  /** Workers handed to a caller (their `busy` turns true only once the request is sent). */
  private readonly reserved = new Set<WorkerHandle>();
  private respawnFailures = 0;
  private readonly keepAlive = new KeepAlive();
  /** The keep-alive hold taken while `waiters` is not empty. */
  private releaseWaiting: (() => void) | null = null;
  private broken: Error | null = null;
  /** The backend the first workers loaded; a replacement must serve the same one. */
  private backend = '';
  private disposed = false;
  /** Workers started over the pool's life, the first ones included. */
  spawned = 0;

  private constructor(
    private readonly spec: WorkerSpec,
    private readonly loadTimeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /** Starts `size` workers in parallel; if any fails to load, kills the rest and rejects with that failure. */
  static async start(
    spec: WorkerSpec,
    size: number,
    loadTimeoutMs: number,
    logger: Logger,
  ): Promise<{ pool: WorkerPool; loaded: LoadedReply }> {
    const pool = new WorkerPool(spec, loadTimeoutMs, logger);
    const results = await Promise.allSettled(
      Array.from({ length: size }, () => WorkerHandle.start(spec, loadTimeoutMs)),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const r of results) {
      if (r.status !== 'fulfilled') continue;
      if (failed) r.value.worker.kill();
      else pool.adopt(r.value.worker);
    }
    if (failed) throw failed.reason;
    const loaded = (results[0] as PromiseFulfilledResult<{ loaded: LoadedReply }>).value.loaded;
    pool.backend = loaded.backend;
    return { pool, loaded };
  }

  get pids(): number[] {
    return [...this.workers].filter((w) => !w.exited).map((w) => w.pid as number);
  }

  /**
   * Runs one batch on an idle worker (`withExtra`: the planner inputs cross too). An abort (the caller's timeout)
   * SIGKILLs the worker running it.
   */
  async infer(batch: InferBatch, withExtra: boolean, signal?: AbortSignal): Promise<HeadLogits[]> {
    const worker = this.takeIdle() ?? (await this.acquire(signal));
    if (signal?.aborted) {
      this.release(worker);
      throw new PlannerError(
        ErrorCodes.INFERENCE_TIMEOUT,
        'the caller stopped waiting before an isolation worker was free',
      );
    }
    const onAbort = () => worker.kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await worker.infer(batch, withExtra);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.release(worker);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.workers) w.kill();
    this.workers.clear();
    const error = new PlannerError(ErrorCodes.SESSION_DISPOSED, 'the isolation pool was disposed');
    for (const w of this.waiters.splice(0)) w.reject(error);
    this.keepAlive.clear();
    this.releaseWaiting = null;
  }

  /** True while the pool holds the process alive (a caller waits, or a replacement loads). */
  get keepingAlive(): boolean {
    return this.keepAlive.held;
  }

  /** An idle worker, reserved for the caller, without waiting (no promise): the common case of a free pool. */
  private takeIdle(): WorkerHandle | null {
    if (this.disposed || this.broken || this.waiters.length > 0) return null;
    for (const w of this.workers) {
      if (w.busy || w.exited || this.reserved.has(w)) continue;
      this.reserved.add(w);
      return w;
    }
    return null;
  }

  private acquire(signal?: AbortSignal): Promise<WorkerHandle> {
    if (this.disposed)
      return Promise.reject(new PlannerError(ErrorCodes.SESSION_DISPOSED, 'the isolation pool was disposed'));
    if (this.broken) return Promise.reject(this.broken);
    const idle = this.takeIdle();
    if (idle) return Promise.resolve(idle);
    return new Promise<WorkerHandle>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.waiters.push(waiter);
      this.waitersChanged();
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          this.waitersChanged();
          reject(new PlannerError(ErrorCodes.INFERENCE_TIMEOUT, 'gave up waiting for an isolation worker'));
        },
        { once: true },
      );
    });
  }

  private release(worker: WorkerHandle): void {
    this.reserved.delete(worker);
    if (!worker.exited) this.handOut(worker);
  }

  private handOut(worker: WorkerHandle): void {
    const next = this.waiters.shift();
    if (!next) return;
    this.waitersChanged();
    this.reserved.add(worker);
    next.resolve(worker);
  }

  /** Holds the process alive exactly while someone waits for a worker. */
  private waitersChanged(): void {
    if (this.waiters.length > 0 && !this.disposed) {
      this.releaseWaiting ??= this.keepAlive.hold();
    } else {
      this.releaseWaiting?.();
      this.releaseWaiting = null;
    }
  }

  private adopt(worker: WorkerHandle): void {
    this.spawned++;
    this.workers.add(worker);
    worker.onExit = () => {
      this.workers.delete(worker);
      this.reserved.delete(worker);
      if (!this.disposed) void this.replace();
    };
    this.handOut(worker);
  }

  /** Starts a replacement in the background, holding the process alive until it is in the pool or given up on. */
  private async replace(): Promise<void> {
    const release = this.keepAlive.hold();
    try {
      await this.respawn();
    } finally {
      release();
    }
  }

  private async respawn(): Promise<void> {
    try {
      const { worker, loaded } = await WorkerHandle.start(this.spec, this.loadTimeoutMs);
      if (this.disposed) return worker.kill();
      if (loaded.backend !== this.backend) {
        worker.kill();
        throw new PlannerError(
          ErrorCodes.BACKEND_UNAVAILABLE,
          `the replacement worker serves backend "${loaded.backend}", not "${this.backend}"`,
        );
      }
      this.respawnFailures = 0;
      this.adopt(worker);
    } catch (error) {
      this.respawnFailures++;
      this.logger.warn(
        { err: describeError(error), failures: this.respawnFailures },
        'isolation worker could not be replaced',
      );
      if (this.respawnFailures < MAX_RESPAWN_FAILURES) return this.respawn();
      if (this.workers.size > 0) return;
      // No worker can serve the model any more: the gate answers with the heuristic and `model_unavailable`.
      this.broken = new ModelUnavailableError(`isolation workers keep failing to start: ${describeError(error)}`);
      for (const w of this.waiters.splice(0)) w.reject(this.broken);
      this.waitersChanged();
    }
  }
}
