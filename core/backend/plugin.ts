/**
 * The backend plugin contract. A plugin is a plain object: metadata, a JSON Schema for the bundle it needs, `init()`
 * (loads the heavy runtime lazily; a missing native module rejects here and becomes a fallback, not a crash) and
 * `createSession()` (turns a validated bundle into a session). Third parties export one from their own package.
 */
import type { HeadName } from '../action.js';
import type { Bundle } from '../bundle/bundle-types.js';
import type { EncodedBatch } from '../encoders/encoder.js';
import type { Logger } from '../logger.js';
import type { PlannerInputV1 } from '../planner-input-types.js';

/** Raw (uncalibrated) logits of one batch item, one vector per head. */
export type HeadLogits = Readonly<Record<HeadName, Float32Array>>;

/** What a session consumes. The core builds the matching encoder and checks the dimensions. */
export type SessionInputSpec =
  | { readonly kind: 'features'; readonly dIn: number }
  | { readonly kind: 'tokens'; readonly seqLen: number }
  | { readonly kind: 'raw' };

export interface InferBatch {
  /** The planner inputs, in batch order (heuristic-style backends read these). */
  readonly inputs: readonly PlannerInputV1[];
  readonly encoded: EncodedBatch;
}

export interface InferOptions {
  /** Aborted when the caller stopped waiting (timeout); a session may use it to stop early. */
  readonly signal?: AbortSignal;
}

export interface BackendSession {
  /** Name of the plugin that made it. */
  readonly backend: string;
  readonly input: SessionInputSpec;
  /** Facts worth recording: runtime flavour (e.g. tfjs `wasm`), threads, opset, model path. */
  readonly info: Readonly<Record<string, unknown>>;
  /** One result per batch item, in order. Rejects with a PlannerError on failure; never resolves partial results. */
  infer(batch: InferBatch, options?: InferOptions): Promise<HeadLogits[]>;
  /** Releases native resources. A disposed session rejects every later call with SESSION_DISPOSED. */
  dispose(): Promise<void>;
}

export interface PluginContext {
  readonly logger: Logger;
}

export interface SessionContext {
  readonly logger: Logger;
  /** Backend options from config (`planner.backend_options.<name>`), e.g. `{ intraOpNumThreads: 1 }`. */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface LintProblem {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly file: string;
  /** JSON pointer inside `file`, '' for the whole file. */
  readonly pointer: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export interface BackendPlugin {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** Higher wins when two plugins claim the same name, and orders `model.type: auto`. */
  readonly priority: number;
  readonly description: string;
  /** False for backends that need no bundle (the heuristic). */
  readonly needsBundle: boolean;
  /** JSON Schema (with `$id`) validated against the bundle's `BundleView` before `createSession`. */
  readonly bundleSchema?: Readonly<Record<string, unknown>>;
  /** Loads the runtime library. Called once per registry; the promise is shared and a failure remembered. */
  init(ctx: PluginContext): Promise<void>;
  createSession(bundle: Bundle | null, ctx: SessionContext): Promise<BackendSession>;
  /** Checks that need no inference (graph shapes, weight manifests, pickles). */
  lint?(bundle: Bundle, ctx: PluginContext): Promise<LintProblem[]>;
}

export function isBackendPlugin(value: unknown): value is BackendPlugin {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    typeof v.priority === 'number' &&
    typeof v.init === 'function' &&
    typeof v.createSession === 'function' &&
    typeof v.needsBundle === 'boolean'
  );
}
