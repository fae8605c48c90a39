/**
 * The caller's side of an onnx worker thread (`planner.backend_options.onnx.runIn: worker`): starts the thread,
 * runs one batch at a time over the shared-memory channel (onnx-thread-protocol.ts), queues the others, and reports
 * every way the thread can fail as a coded error.
 *
 * - A run starts synchronously when the thread is idle (the batch is copied and the thread woken before `run`
 *   returns), so work the caller does next overlaps it.
 * - A caller whose signal was aborted before its turn is not run; a run already started cannot be stopped, and its
 *   late result simply goes to nobody.
 * - The thread dying (an uncaught error in it, `terminate()`) rejects the run in flight and the queued ones with
 *   ONNX_THREAD_EXITED. The next call starts a new thread (same model bytes and options); after 3 deaths in a row
 *   without a good run in between, the thread stays down and every call rejects with ONNX_THREAD_EXITED.
 * - The thread is unref'd while idle: it never keeps the process alive by itself, a run in flight does.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { HEAD_NAMES } from '../../core/action.js';
import type { HeadLogits } from '../../core/backend/plugin.js';
import type { EncodedBatch } from '../../core/encoders/encoder.js';
import { ErrorCodes, PlannerError, describeError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';
import { splitRows } from './onnx-io.js';
import {
  CTL_LENGTH,
  Ctl,
  OP_RUN,
  OP_STOP,
  capacityFor,
  copyIn,
  fromWire,
  headOffsets,
  inputBytes,
  outputFloats,
  spinWhileEqual,
  type ThreadInit,
  type WorkerMessage,
} from './onnx-thread-protocol.js';

export const MAX_THREAD_RESTARTS = 3;

type WaitResult = { async: false; value: string } | { async: true; value: Promise<string> };
/** `Atomics.waitAsync` (Node 16+; the ES2023 lib this project compiles against does not declare it). */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): WaitResult }).waitAsync;

type Spec = Omit<ThreadInit, 'ctl' | 'input' | 'output'>;
interface Job {
  readonly encoded: EncodedBatch;
  readonly signal?: AbortSignal;
  resolve(value: HeadLogits[]): void;
  reject(error: unknown): void;
}

/** The built worker script: next to this module in dist/, or dist/ of the package when running from source. */
export function threadEntry(): string {
  const here = fileURLToPath(new URL('./onnx-thread-main.js', import.meta.url));
  if (!import.meta.url.endsWith('.ts')) return here;
  return join(packageRoot(), 'dist', 'plugins', 'onnx', 'onnx-thread-main.js');
}

export class OnnxThread {
  private worker!: Worker;
  private port!: MessagePort;
  private ctl = new Int32Array(new SharedArrayBuffer(CTL_LENGTH * 4));
  private input!: SharedArrayBuffer;
  private output!: SharedArrayBuffer;
  private capacity = 0;
  private seq = 0;
  /** Sequence number of the last run signalled (0: none since this control array was made). */
  private lastRun = 0;
  private current: Job | null = null;
  private readonly queue: Job[] = [];
  private alive = false;
  private starting: Promise<void> | null = null;
  private deaths = 0;
  private stopping = false;

  private constructor(
    private readonly spec: Spec,
    private readonly callerSpinUs: number,
  ) {}

  /**
   * Starts the thread; resolves when its session exists (else rejects with the worker's own code). `callerSpinUs`:
   * how long this thread polls for a run's result (in a `setImmediate`, after the caller's own work) before it waits.
   */
  static async start(spec: Spec, callerSpinUs = 0): Promise<OnnxThread> {
    const thread = new OnnxThread(spec, callerSpinUs);
    await thread.spawn();
    return thread;
  }

  /** True while a batch is in the thread (not while the thread is being started for it). */
  get running(): boolean {
    return this.alive && this.current !== null;
  }

  /** One batch; runs at once (synchronously signalled) when the thread is idle, else after those queued. */
  run(encoded: EncodedBatch, signal?: AbortSignal): Promise<HeadLogits[]> {
    return new Promise<HeadLogits[]>((resolve, reject) => {
      this.queue.push({ encoded, signal, resolve, reject });
      if (!this.current) this.next();
    });
  }

  /** Stops the thread after the run in flight (the session waits for its runs first); idempotent. */
  async close(): Promise<void> {
    this.stopping = true;
    await this.starting?.catch(() => undefined);
    if (!this.alive) return;
    this.alive = false;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.signal(OP_STOP, 0);
    // The thread stops after the run it is in (a timed-out call's run goes on). If that run is still going after
    // 5 s, the thread is left to end by itself, unref'd: terminating it inside the native call aborts the process.
    let timer: NodeJS.Timeout | undefined;
    const givenUp = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.nativeRunInFlight()) this.giveUp();
        else void this.worker.terminate();
        resolve();
      }, 5_000);
    });
    await Promise.race([exited, givenUp]);
    clearTimeout(timer);
  }

  /**
   * Ends the thread (also a test hook that simulates a crash): the run in flight and the queued ones reject with
   * ONNX_THREAD_EXITED at once. An idle thread is terminated; a thread inside a run is told to end when the run
   * returns, because `Worker.terminate()` during onnxruntime's native call aborts the whole process (seen:
   * "terminate called after throwing an instance of 'Napi::Error'").
   */
  async terminate(): Promise<void> {
    if (!this.alive) return;
    const busy = this.nativeRunInFlight();
    this.died('terminated');
    if (busy) this.giveUp();
    else await this.worker.terminate();
  }

  /** True between signalling a run and the thread's DONE for it. */
  private nativeRunInFlight(): boolean {
    return this.lastRun !== 0 && Atomics.load(this.ctl, Ctl.DONE) !== this.lastRun;
  }

  /** The thread ends after its current run; nothing waits for it. A new thread gets a fresh control array. */
  private giveUp(): void {
    Atomics.store(this.ctl, Ctl.EXIT, 1);
    this.worker.unref();
    this.ctl = new Int32Array(new SharedArrayBuffer(CTL_LENGTH * 4));
    this.seq = 0;
    this.lastRun = 0;
  }

  private spawn(): Promise<void> {
    const entry = threadEntry();
    if (!existsSync(entry))
      return Promise.reject(
        new PlannerError(ErrorCodes.WORKER_ENTRY_MISSING, `onnx worker thread ${entry} does not exist; build first`, {
          context: { entry },
        }),
      );
    this.grow(capacityFor(1));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    port1.unref();
    const init: ThreadInit & { port: MessagePort } = {
      ...this.spec,
      ctl: this.ctl.buffer as SharedArrayBuffer,
      input: this.input,
      output: this.output,
      port: port2,
    };
    // execArgv: [] — the thread runs plain built JS; the parent's flags (`--input-type`, `-e`, loaders) would break it.
    const worker = new Worker(entry, { workerData: init, transferList: [port2], execArgv: [] });
    this.worker = worker;
    let uncaught = '';
    worker.on('error', (e) => (uncaught = `: ${describeError(e)}`)); // 'exit' follows; its error names this
    worker.on('exit', (code) => {
      if (this.worker === worker && this.alive) this.died(`exited (code ${code})${uncaught}`);
    });
    this.starting = new Promise<void>((resolve, reject) => {
      worker.once('message', (m: WorkerMessage) => {
        if (m.t !== 'ready') return reject(m.t === 'failed' ? fromWire(m.error) : new Error(`unexpected ${m.t}`));
        this.alive = true;
        worker.unref();
        resolve();
      });
      worker.once('exit', (code) =>
        reject(this.exitedError(`exited while loading the model (code ${code})${uncaught}`)),
      );
    }).finally(() => (this.starting = null));
    return this.starting;
  }

  private next(): void {
    const job = this.queue.shift();
    if (!job) {
      this.worker?.unref();
      return;
    }
    this.current = job;
    if (job.signal?.aborted) return this.finish(job, () => job.reject(this.abortedError()));
    if (!this.alive) return void this.restartThen(job);
    this.worker.ref();
    this.send(job);
  }

  private send(job: Job): void {
    const { encoded } = job;
    const n = encoded.size;
    if (n > this.capacity) {
      this.grow(capacityFor(n));
      this.port.postMessage({ t: 'buffers', input: this.input, output: this.output });
    }
    copyIn(encoded, this.input);
    const seq = this.signal(OP_RUN, n);
    this.lastRun = seq;
    const check = (spin: boolean): void => {
      if (this.current !== job) return; // the thread died meanwhile; the job was rejected
      const done = Atomics.load(this.ctl, Ctl.DONE);
      if (done === seq) return this.finish(job, () => this.settle(job, seq));
      if (spin)
        return void setImmediate(() => {
          if (this.current === job) spinWhileEqual(this.ctl, Ctl.DONE, done, this.callerSpinUs);
          check(false);
        });
      const wait = waitAsync(this.ctl, Ctl.DONE, done);
      if (wait.async) void wait.value.then(() => check(false));
      else check(false);
    };
    check(this.callerSpinUs > 0);
  }

  private settle(job: Job, seq: number): void {
    if (Atomics.load(this.ctl, Ctl.STATUS) === 0) {
      this.deaths = 0;
      const n = job.encoded.size;
      const at = headOffsets(this.spec.widths, HEAD_NAMES, n);
      const out = new Float32Array(this.output);
      job.resolve(splitRows((h) => out.subarray(at[h], at[h] + n * this.spec.widths[h]), this.spec.widths, n));
      return;
    }
    const m = receiveMessageOnPort(this.port)?.message as WorkerMessage | undefined;
    const wired = m?.t === 'error' && m.seq === seq ? m.error : null;
    job.reject(
      wired
        ? fromWire(wired)
        : new PlannerError(ErrorCodes.INFERENCE_FAILED, `${this.spec.where}: the worker thread's run failed`),
    );
  }

  private finish(job: Job, settle: () => void): void {
    this.current = null;
    settle();
    this.next();
  }

  private async restartThen(job: Job): Promise<void> {
    try {
      if (this.stopping || this.deaths >= MAX_THREAD_RESTARTS)
        throw this.exitedError(`is down after ${this.deaths} exits in a row; create a new session`);
      await this.spawn().catch((error: unknown) => {
        this.deaths++;
        throw error;
      });
    } catch (error) {
      return this.finish(job, () => job.reject(error));
    }
    this.worker.ref();
    this.send(job);
  }

  private signal(op: number, n: number): number {
    const seq = ++this.seq;
    Atomics.store(this.ctl, Ctl.OP, op);
    Atomics.store(this.ctl, Ctl.N, n);
    Atomics.store(this.ctl, Ctl.REQ, seq);
    Atomics.notify(this.ctl, Ctl.REQ);
    return seq;
  }

  private grow(capacity: number): void {
    this.capacity = capacity;
    this.input = new SharedArrayBuffer(inputBytes(this.spec.plan, capacity));
    this.output = new SharedArrayBuffer(outputFloats(this.spec.widths, capacity) * 4);
  }

  private died(how: string): void {
    this.alive = false;
    this.deaths++;
    this.worker.unref();
    const error = this.exitedError(how);
    const jobs = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    for (const job of jobs) job.reject(error);
  }

  private exitedError(how: string): PlannerError {
    return new PlannerError(ErrorCodes.ONNX_THREAD_EXITED, `${this.spec.where}: the onnx worker thread ${how}`, {
      context: { file: this.spec.where },
    });
  }

  private abortedError(): PlannerError {
    return new PlannerError(ErrorCodes.INFERENCE_FAILED, `${this.spec.where}: inference aborted before it started`);
  }
}
