/**
 * Messages between the parent (proxy session) and an isolation worker (`worker-main.ts`). Sent over the IPC channel
 * with `serialization: 'advanced'`, so typed arrays (Float32Array, BigInt64Array) cross as such; results travel packed
 * (one buffer per head) when they can.
 */
import { HEAD_NAMES, type HeadName } from '../action.js';
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
  /** The backend's answer as it is, when it cannot be packed. */
  readonly logits?: HeadLogits[];
  readonly packed?: PackedLogits;
}

/**
 * A batch of logits in five buffers instead of four small typed arrays per item: one Float32Array per head (items
 * back to back) and each item's length per head. Only all-Float32Array answers are packed, so values cross exactly.
 */
export interface PackedLogits {
  readonly heads: Readonly<Record<HeadName, Float32Array>>;
  /** [item * 4 + head index]: that item's length for that head. */
  readonly lengths: Int32Array;
}

export function packLogits(logits: readonly HeadLogits[]): PackedLogits | null {
  if (!Array.isArray(logits)) return null;
  const lengths = new Int32Array(logits.length * HEAD_NAMES.length);
  const totals = [0, 0, 0, 0];
  for (let i = 0; i < logits.length; i++) {
    const item = logits[i] as Partial<HeadLogits> | null;
    if (typeof item !== 'object' || item === null) return null;
    for (let h = 0; h < HEAD_NAMES.length; h++) {
      const v = item[HEAD_NAMES[h]];
      if (!(v instanceof Float32Array)) return null;
      lengths[i * HEAD_NAMES.length + h] = v.length;
      totals[h] += v.length;
    }
  }
  const heads = {} as Record<HeadName, Float32Array>;
  HEAD_NAMES.forEach((head, h) => {
    const out = new Float32Array(totals[h]);
    let at = 0;
    for (const item of logits) {
      out.set(item[head], at);
      at += item[head].length;
    }
    heads[head] = out;
  });
  return { heads, lengths };
}

/** The items again, as views into the packed buffers. */
export function unpackLogits(packed: PackedLogits): HeadLogits[] {
  const n = packed.lengths.length / HEAD_NAMES.length;
  const at = [0, 0, 0, 0];
  const out: HeadLogits[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const item = {} as Record<HeadName, Float32Array>;
    HEAD_NAMES.forEach((head, h) => {
      const len = packed.lengths[i * HEAD_NAMES.length + h];
      item[head] = packed.heads[head].subarray(at[h], at[h] + len);
      at[h] += len;
    });
    out[i] = item;
  }
  return out;
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
  const error = new PlannerError(code, `${where}: ${wire.message}`, {
    context: { remoteName: wire.name, ...(code === wire.code ? {} : { remoteCode: wire.code }) },
  });
  error.name = wire.name;
  return error;
}
