/**
 * Messages between the parent (proxy session) and an isolation worker (`worker-main.ts`). Sent over the IPC channel
 * with `serialization: 'advanced'`, so typed arrays (Float32Array, BigInt64Array) cross as such.
 */
import type { HeadLogits, SessionInputSpec } from '../backend/plugin.js';
import type { EncodedBatch } from '../encoders/encoder.js';
import { ErrorCodes, PlannerError, isErrorCode } from '../errors.js';
import type { InferenceConfig } from '../inference-config.js';
import type { LoadAttempt } from '../model-loader.js';
import type { PlannerInputV1 } from '../planner-input-types.js';

/** Where the child gets its backends from. */
export interface WorkerRegistrySource {
  /** Module exporting `createRegistry()` or `createDefaultRegistry()`; null: the worker entry's own registry. */
  readonly registryModule: string | null;
  /** Extra plugin specifiers (`planner.plugins`), resolved from `pluginsDir`. */
  readonly plugins: readonly string[];
  readonly pluginsDir: string;
}

export interface LoadRequest extends WorkerRegistrySource {
  readonly t: 'load';
  readonly config: InferenceConfig;
}

export interface InferRequest {
  readonly t: 'infer';
  readonly id: number;
  readonly inputs: readonly PlannerInputV1[];
  readonly encoded: EncodedBatch;
}

export type ParentMessage = LoadRequest | InferRequest;

export interface WireError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
}

export interface LoadedReply {
  readonly t: 'loaded';
  readonly backend: string;
  readonly input: SessionInputSpec;
  readonly info: Readonly<Record<string, unknown>>;
  readonly attempts: readonly LoadAttempt[];
}

export interface LoadFailedReply {
  readonly t: 'load-failed';
  readonly error: WireError;
  readonly attempts: readonly LoadAttempt[];
}

export interface ResultReply {
  readonly t: 'result';
  readonly id: number;
  readonly logits: HeadLogits[];
}

export interface ErrorReply {
  readonly t: 'error';
  readonly id: number;
  readonly error: WireError;
}

export type WorkerMessage = LoadedReply | LoadFailedReply | ResultReply | ErrorReply;

export function toWireError(error: unknown): WireError {
  if (error instanceof PlannerError) return { name: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { name: error.name, code: error.name, message: error.message };
  return { name: 'Error', code: ErrorCodes.UNKNOWN, message: String(error) };
}

/**
 * Rebuilds a child's error in the parent, keeping its name (the fallback reason is `inference_error_<name>`). A code
 * outside the catalogue (a plain Error's name) becomes UNKNOWN, kept in `context.remoteCode`.
 */
export function fromWireError(wire: WireError, where: string): PlannerError {
  const code = isErrorCode(wire.code) ? wire.code : ErrorCodes.UNKNOWN;
  const error = new PlannerError(code, `${where}: ${wire.message}`, { context: { remoteName: wire.name, ...(code === wire.code ? {} : { remoteCode: wire.code }) } });
  error.name = wire.name;
  return error;
}
