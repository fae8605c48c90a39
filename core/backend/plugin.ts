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
import { isRecord } from '../encoders/record.js';

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

/** The plugin contract version this core implements. A plugin declares the one it was written against. */
export const PLUGIN_API_VERSION = 1;

/**
 * A backend plugin. Required: `apiVersion`, `name`, `priority`, `description`, `needsBundle`, `init`,
 * `createSession`. Optional: `aliases`, `bundleSchema`, `jsonFiles`, `lint`. The registry checks the shape when the
 * plugin is registered and names every missing or wrong field (PLUGIN_INVALID). Guide: docs/writing-a-backend.md.
 */
export interface BackendPlugin {
  /** The contract version the plugin was written against: `PLUGIN_API_VERSION` (1). */
  readonly apiVersion: number;
  /** Unique, case-insensitive; letters, digits, `_`, `-`, `.` (not `auto`, which means "every backend"). */
  readonly name: string;
  /** More names for `model.type`; an alias taken by another plugin is refused (BACKEND_DUPLICATE). */
  readonly aliases?: readonly string[];
  /** Higher wins when two plugins claim the same name, and orders `model.type: auto`. */
  readonly priority: number;
  /** One line for `cyntra-planner backends`. */
  readonly description: string;
  /** False for backends that need no bundle (the heuristic). */
  readonly needsBundle: boolean;
  /**
   * JSON Schema (with `$id`) validated against the bundle's `BundleView` before `createSession`. Its `json` holds the
   * core's fixed list (`CORE_BUNDLE_JSON_FILES`: metadata.json, config.json, action_space.json, calibration.json,
   * vocab.json, metrics.json, model.json) plus the files this plugin names in `jsonFiles`.
   */
  readonly bundleSchema?: Readonly<Record<string, unknown>>;
  /**
   * The bundle's own JSON files this plugin reads (e.g. `["weights.json"]`): the core reads each through the bundle's
   * checked listing (contained, size-capped, hash-checked when the digest is pinned), parses it (BUNDLE_JSON_INVALID
   * with line:col) and adds it to `bundle.json` before `bundleSchema` runs. Absent files are simply left out.
   */
  readonly jsonFiles?: readonly string[];
  /** Loads the runtime library. Called once per registry; the promise is shared and a failure remembered. */
  init(ctx: PluginContext): Promise<void>;
  createSession(bundle: Bundle | null, ctx: SessionContext): Promise<BackendSession>;
  /** Checks that need no inference (graph shapes, weight manifests, pickles). */
  lint?(bundle: Bundle, ctx: PluginContext): Promise<LintProblem[]>;
}

export function isBackendPlugin(value: unknown): value is BackendPlugin {
  return pluginShapeProblems(value).length === 0;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** What is wrong with a would-be plugin, one entry per field (`apiVersion: missing; set it to 1`); empty when valid. */
export function pluginShapeProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null)
    return [`the plugin must be an object, got ${value === null ? 'null' : typeof value}`];
  const v = value as Record<string, unknown>;
  const out: string[] = [];
  const field = (key: string, ok: boolean, want: string): void => {
    if (!ok) out.push(`${key}: ${key in v ? `must be ${want}, got ${show(v[key])}` : `missing; it must be ${want}`}`);
  };
  field(
    'apiVersion',
    v.apiVersion === PLUGIN_API_VERSION,
    `${PLUGIN_API_VERSION} (the plugin contract this core implements)`,
  );
  field(
    'name',
    typeof v.name === 'string' && NAME.test(v.name) && v.name.toLowerCase() !== 'auto',
    'a name of letters, digits, "_", "-" or "." (not "auto")',
  );
  field('priority', typeof v.priority === 'number' && Number.isFinite(v.priority), 'a finite number');
  field('description', typeof v.description === 'string' && v.description.length > 0, 'a non-empty string');
  field('needsBundle', typeof v.needsBundle === 'boolean', 'a boolean');
  field('init', typeof v.init === 'function', 'a function returning a promise');
  field('createSession', typeof v.createSession === 'function', 'a function returning a promise of a session');
  if (v.aliases !== undefined)
    field(
      'aliases',
      Array.isArray(v.aliases) &&
        v.aliases.every((a) => typeof a === 'string' && NAME.test(a) && a.toLowerCase() !== 'auto'),
      'an array of names',
    );
  if (v.bundleSchema !== undefined)
    field(
      'bundleSchema',
      isRecord(v.bundleSchema) && typeof v.bundleSchema.$id === 'string',
      'a JSON Schema object with a string $id',
    );
  if (v.jsonFiles !== undefined)
    field(
      'jsonFiles',
      Array.isArray(v.jsonFiles) && v.jsonFiles.every(isRelativeJsonName),
      'an array of relative file names ending in .json',
    );
  if (v.lint !== undefined) field('lint', typeof v.lint === 'function', 'a function');
  return out;
}

function isRelativeJsonName(name: unknown): boolean {
  return (
    typeof name === 'string' && name.endsWith('.json') && !name.startsWith('/') && !name.split(/[\\/]/).includes('..')
  );
}

function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
