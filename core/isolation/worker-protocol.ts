/**
 * The control messages between the parent (worker handle) and an isolation worker (`worker-main.ts`): the load and
 * its answer, over the IPC channel (`serialization: 'advanced'`). The calls themselves travel as binary frames on a
 * pipe of their own (`frame-layout.ts`); their errors cross as a WireError.
 */
import type { SessionInputSpec } from '../backend/plugin.js';
import { ErrorCodes, PlannerError, isErrorCode } from '../errors.js';
import type { InferenceConfig } from '../inference-config.js';
import type { LoadAttempt } from '../model-loader.js';

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
  /** The parent passed a shared file as fd 5 (`shared-file.ts`); without one, every frame section is inline. */
  readonly shared: boolean;
}

export type ParentMessage = LoadRequest;

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

export type WorkerMessage = LoadedReply | LoadFailedReply;

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
  const error = new PlannerError(code, `${where}: ${wire.message}`, {
    context: { remoteName: wire.name, ...(code === wire.code ? {} : { remoteCode: wire.code }) },
  });
  error.name = wire.name;
  return error;
}
