/** A BackendSession whose `infer` runs in the isolation pool; what the parent's gate sees instead of the real one. */
import type { BackendSession, HeadLogits, InferBatch, InferOptions, SessionInputSpec } from '../backend/plugin.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import type { WorkerPool } from './worker-pool.js';
import type { LoadedReply } from './worker-protocol.js';

/**
 * Built-in backends whose sessions read only the encoded tensors: the planner inputs (and a tokens batch's token
 * strings) need not cross to the child.
 */
const TENSOR_ONLY_BACKENDS: ReadonlySet<string> = new Set(['onnx', 'tfjs']);

export class ProxySession implements BackendSession {
  readonly backend: string;
  readonly input: SessionInputSpec;
  readonly info: Readonly<Record<string, unknown>>;
  private disposed = false;
  private readonly sendInputs: boolean;

  constructor(
    readonly pool: WorkerPool,
    loaded: LoadedReply,
    poolSize: number,
  ) {
    this.backend = loaded.backend;
    this.input = loaded.input;
    this.info = { ...loaded.info, isolation: 'process', poolSize };
    this.sendInputs = !(TENSOR_ONLY_BACKENDS.has(loaded.backend) && loaded.input.kind !== 'raw');
  }

  async infer(batch: InferBatch, options: InferOptions = {}): Promise<HeadLogits[]> {
    if (this.disposed)
      throw new PlannerError(ErrorCodes.SESSION_DISPOSED, `session of backend "${this.backend}" was disposed`);
    return this.pool.infer(batch, this.sendInputs, options.signal);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.pool.dispose();
  }
}
