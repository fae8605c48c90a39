/**
 * One isolation worker process: fork, load (with its own timeout), one call at a time, kill. Every way the child
 * can go wrong (load hangs, load crashes, call crashes, exit) rejects the pending promise with a coded error; nothing
 * here throws into the event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { HeadLogits } from '../backend/plugin.js';
import type { EncodedBatch } from '../encoders/encoder.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import type { InferenceConfig } from '../inference-config.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import { timerDelay } from '../time.js';
import {
  fromWireError,
  unpackLogits,
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

type Pending = { resolve: (value: WorkerMessage) => void; reject: (error: Error) => void };

const STDERR_TAIL = 2000;

export class WorkerHandle {
  private readonly child: ChildProcess;
  private pending: Pending | null = null;
  private nextId = 1;
  private stderr = '';
  exited = false;

  private constructor(private readonly spec: WorkerSpec) {
    this.child = fork(spec.entry, [], {
      serialization: 'advanced',
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on(
      'data',
      (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL)),
    );
    this.child.on('message', (message: WorkerMessage) => this.settle((p) => p.resolve(message)));
    this.child.on('error', (error) => this.settle((p) => p.reject(error)));
    this.child.on('exit', (code, signal) => {
      this.exited = true;
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
      .call({ t: 'load', config, registryModule, plugins, pluginsDir }, loadTimeoutMs)
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

  /** One inference. Rejects with the child's error, or WorkerCrashedError if it dies meanwhile. */
  async infer(inputs: readonly PlannerInputV1[], encoded: EncodedBatch): Promise<HeadLogits[]> {
    const id = this.nextId++;
    const reply = await this.call({ t: 'infer', id, inputs, encoded }, null);
    if (reply.t === 'result' && reply.id === id)
      return reply.packed ? unpackLogits(reply.packed) : (reply.logits as HeadLogits[]);
    if (reply.t === 'error') throw fromWireError(reply.error, `isolation worker ${this.pid}`);
    throw new PlannerError(ErrorCodes.WORKER_CRASHED, `isolation worker ${this.pid} answered out of turn (${reply.t})`);
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  /** SIGKILL: the only way to stop a native call that blocks the child's event loop. */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private call(message: object, timeoutMs: number | null): Promise<WorkerMessage> {
    if (this.exited)
      return Promise.reject(new WorkerCrashedError(`isolation worker ${this.pid} is gone`, { pid: this.pid }));
    if (this.pending)
      return Promise.reject(new PlannerError(ErrorCodes.WORKER_CRASHED, `isolation worker ${this.pid} is busy`));
    return new Promise<WorkerMessage>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      if (timeoutMs !== null) {
        timer = setTimeout(() => {
          this.settle((p) =>
            p.reject(
              new PlannerError(
                ErrorCodes.WORKER_LOAD_TIMEOUT,
                `isolation worker ${this.pid} did not load the model within ${timeoutMs} ms (model.load_timeout_ms)`,
                { context: { timeoutMs } },
              ),
            ),
          );
          this.kill();
        }, timerDelay(timeoutMs));
      }
      const done =
        <T>(fn: (v: T) => void) =>
        (v: T) => {
          clearTimeout(timer);
          fn(v);
        };
      this.pending = { resolve: done(resolve), reject: done(reject) };
      this.busyRef();
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
   * must still be seen to exit (that settles the call and starts its replacement) even when its IPC channel has
   * already closed and nothing else is pending in the parent.
   */
  private busyRef(): void {
    this.child.ref();
    this.child.channel?.ref();
    (this.child.stderr as unknown as { ref?: () => void } | null)?.ref?.();
  }

  /** An idle worker does not keep the parent alive. */
  private idle(): void {
    this.child.channel?.unref();
    this.child.unref();
    (this.child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  }

  private stderrNote(): string {
    const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
    return tail ? `; stderr: ${tail}` : '';
  }
}
