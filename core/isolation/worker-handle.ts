/**
 * One isolation worker process: fork, load (with its own timeout), one call at a time, kill. The load goes over the
 * IPC channel; the calls over a pipe of their own (the child's fd 4) as binary frames (`frame-layout.ts`). Every way
 * the child can go wrong (load hangs, load crashes, call crashes, exit, a malformed frame) rejects the pending promise
 * with a coded error; nothing here throws into the event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { HeadLogits, InferBatch } from '../backend/plugin.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import type { InferenceConfig } from '../inference-config.js';
import { timerDelay } from '../time.js';
import { readReply, writeInferRequest } from './frame-codec.js';
import { FRAME_FD, FRAME_PREFIX_BYTES, MAX_FRAME_BYTES } from './frame-layout.js';
import { FrameReader, WorkerFrameError } from './frame-reader.js';
import { FrameWriter } from './frame-writer.js';
import { SharedFile } from './shared-file.js';
import {
  fromWireError,
  type LoadedReply,
  type LoadFailedReply,
  type WorkerMessage,
  type WorkerRegistrySource,
} from './worker-protocol.js';

/** A child that exited while loading or answering; the fallback reason reads `inference_error_WorkerCrashedError`. */
export class WorkerCrashedError extends PlannerError {
  constructor(message: string, context: Record<string, unknown>) {
    super(ErrorCodes.WORKER_CRASHED, message, { context });
    this.name = 'WorkerCrashedError';
  }
}

export interface WorkerSpec extends WorkerRegistrySource {
  readonly entry: string;
  readonly config: InferenceConfig;
}

type Pending = { resolve: (value: never) => void; reject: (error: Error) => void; id: number };

/** `pending.id` of the load, which is answered on the IPC channel. */
const LOAD_ID = -1;

const STDERR_TAIL = 2000;

export class WorkerHandle {
  private readonly child: ChildProcess;
  /** The frame pipe: requests out, replies back. */
  private readonly pipe: Socket;
  /** Large tensors go here instead of through the pipe; null where no tmpfs could be had. */
  private readonly shared = SharedFile.create();
  private readonly writer = new FrameWriter(this.shared);
  private readonly reader = new FrameReader((body) => this.onFrame(body));
  private pending: Pending | null = null;
  private nextId = 1;
  private stderr = '';
  exited = false;

  private constructor(private readonly spec: WorkerSpec) {
    this.child = fork(spec.entry, [], {
      serialization: 'advanced',
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc', 'pipe', this.shared?.fd ?? 'ignore'],
    });
    this.pipe = this.child.stdio[FRAME_FD] as Socket;
    this.child.stderr?.on(
      'data',
      (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL)),
    );
    this.pipe.on('data', (chunk: Buffer) => {
      try {
        this.reader.push(chunk);
      } catch (error) {
        this.fail(error as Error);
      }
    });
    // A pipe that breaks or closes means a child that is going or gone; the exit settles the call.
    this.pipe.on('error', () => this.kill());
    this.pipe.on('close', () => this.kill());
    this.child.on('message', (message: WorkerMessage) => {
      if (this.pending?.id === LOAD_ID) this.settle((p) => p.resolve(message as never));
    });
    this.child.on('error', (error) => this.settle((p) => p.reject(error)));
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.shared?.close();
      const error = new WorkerCrashedError(
        `isolation worker ${this.pid} exited (${signal ?? `code ${code}`})${this.stderrNote()}`,
        { pid: this.pid, code, signal },
      );
      this.settle((p) => p.reject(error));
      this.onExit?.();
    });
    this.idle();
  }

  /** Called once when the process is gone, for whatever reason. */
  onExit: (() => void) | null = null;

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Forks a worker and waits for its model; kills it and rejects on timeout, crash or load failure. */
  static async start(spec: WorkerSpec, loadTimeoutMs: number): Promise<{ worker: WorkerHandle; loaded: LoadedReply }> {
    if (!existsSync(spec.entry)) {
      throw new PlannerError(
        ErrorCodes.WORKER_ENTRY_MISSING,
        `isolation worker ${spec.entry} does not exist; run \`npm run build\` first`,
        { context: { entry: spec.entry } },
      );
    }
    const worker = new WorkerHandle(spec);
    const { registryModule, plugins, pluginsDir, config } = spec;
    const reply = await worker
      .call({ t: 'load', config, registryModule, plugins, pluginsDir, shared: worker.shared !== null }, loadTimeoutMs)
      .catch((e: unknown) => {
        worker.kill();
        throw e;
      });
    if (reply.t !== 'loaded') {
      worker.kill();
      const failed = reply as LoadFailedReply;
      throw new PlannerError(
        ErrorCodes.WORKER_LOAD_FAILED,
        `isolation worker could not load the model: ${failed.error.code}: ${failed.error.message}`,
        {
          context: { attempts: failed.attempts },
        },
      );
    }
    return { worker, loaded: reply };
  }

  /**
   * One inference: the encoded tensors cross as raw words, plus (`withExtra`) the planner inputs for a backend that
   * reads them. Rejects with the child's error, WorkerCrashedError if it dies meanwhile, WorkerFrameError if its
   * reply is malformed (the child is killed then).
   */
  infer(batch: InferBatch, withExtra: boolean): Promise<HeadLogits[]> {
    if (this.exited)
      return Promise.reject(new WorkerCrashedError(`isolation worker ${this.pid} is gone`, { pid: this.pid }));
    if (this.pending)
      return Promise.reject(new PlannerError(ErrorCodes.WORKER_CRASHED, `isolation worker ${this.pid} is busy`));
    const id = this.nextId;
    this.nextId = (this.nextId + 1) % 0x1_0000_0000;
    let frame: Buffer;
    try {
      frame = writeInferRequest(this.writer, id, batch.encoded, withExtra, batch.inputs);
    } catch (error) {
      return Promise.reject(error);
    }
    if (frame.length - FRAME_PREFIX_BYTES > MAX_FRAME_BYTES)
      return Promise.reject(
        new WorkerFrameError(`a batch of ${frame.length} bytes is over the ${MAX_FRAME_BYTES}-byte frame limit`),
      );
    return new Promise<HeadLogits[]>((resolve, reject) => {
      this.pending = { resolve: resolve as (v: never) => void, reject, id };
      this.busyRef(false);
      this.pipe.write(frame);
    });
  }

  private onFrame(body: Buffer): void {
    const p = this.pending;
    let reply;
    try {
      reply = readReply(body);
    } catch (error) {
      return this.fail(error as Error);
    }
    if (!p || p.id !== reply.id)
      return this.fail(new WorkerFrameError(`isolation worker ${this.pid} answered out of turn`, { id: reply.id }));
    this.pending = null;
    this.idle();
    if ('error' in reply) p.reject(fromWireError(reply.error, `isolation worker ${this.pid}`));
    else p.resolve(reply.logits as never);
  }

  /** The stream can no longer be trusted: the call fails with `error`, the child is killed (and replaced). */
  private fail(error: Error): void {
    this.settle((p) => p.reject(error));
    this.kill();
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  /** SIGKILL: the only way to stop a native call that blocks the child's event loop. */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** The load: one message on the IPC channel, answered there within `timeoutMs` or the child is killed. */
  private call(message: object, timeoutMs: number): Promise<WorkerMessage> {
    if (this.exited)
      return Promise.reject(new WorkerCrashedError(`isolation worker ${this.pid} is gone`, { pid: this.pid }));
    if (this.pending)
      return Promise.reject(new PlannerError(ErrorCodes.WORKER_CRASHED, `isolation worker ${this.pid} is busy`));
    return new Promise<WorkerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new PlannerError(
          ErrorCodes.WORKER_LOAD_TIMEOUT,
          `isolation worker ${this.pid} did not load the model within ${timeoutMs} ms (model.load_timeout_ms)`,
          { context: { timeoutMs } },
        );
        this.settle((p) => p.reject(error));
        this.kill();
      }, timerDelay(timeoutMs));
      const done =
        <T>(fn: (v: T) => void) =>
        (v: T) => {
          clearTimeout(timer);
          fn(v);
        };
      this.pending = { resolve: done(resolve) as (v: never) => void, reject: done(reject), id: LOAD_ID };
      this.busyRef(true);
      this.child.send(message, (error) => error && this.settle((p) => p.reject(error)));
    });
  }

  private settle(fn: (p: Pending) => void): void {
    const p = this.pending;
    this.pending = null;
    this.idle();
    if (p) fn(p);
  }

  /**
   * A worker with a call in flight keeps the parent alive, process handle included: a child SIGKILLed on a timeout
   * must still be seen to exit (that settles the call and starts its replacement) even when its pipes have already
   * closed and nothing else is pending in the parent.
   */
  private busyRef(load: boolean): void {
    this.child.ref();
    this.pipe.ref();
    if (!load) return;
    this.child.channel?.ref();
    (this.child.stderr as unknown as { ref?: () => void } | null)?.ref?.();
  }

  /** An idle worker does not keep the parent alive. */
  private idle(): void {
    this.pipe.unref();
    this.child.channel?.unref();
    this.child.unref();
    (this.child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  }

  private stderrNote(): string {
    const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
    return tail ? `; stderr: ${tail}` : '';
  }
}
